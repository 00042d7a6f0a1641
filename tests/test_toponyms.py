"""Finding place names in text with the bundled gazetteer: spellings, case endings, offsets, and what is not a town."""
from __future__ import annotations

import pytest

from geo.models import Mention
from geo.toponyms import PlaceMatcher

APOSTROPHES = ["'", "’", "ʼ", "`"]


def settlements(matcher: PlaceMatcher, mention: Mention) -> set[str]:
    """English names of the settlements a mention may stand for."""
    places = matcher.gazetteer.places
    return {places[pid].name for pid in mention.candidates if pid in places}


def found(matcher: PlaceMatcher, text: str) -> list[tuple[str, set[str], str]]:
    """(surface, settlement names, role) of every mention; offsets are checked on the way."""
    out = []
    for mention in matcher.match(text):
        assert text[mention.start:mention.end] == mention.surface, mention
        out.append((mention.surface, settlements(matcher, mention), mention.role))
    return out


def assert_finds(matcher: PlaceMatcher, text: str, surface: str, place: str) -> Mention:
    mentions = [m for m in matcher.match(text) if m.surface == surface]
    assert mentions, f"{surface!r} not found in {text!r}: {found(matcher, text)}"
    mention = mentions[0]
    start = text.index(surface)
    assert (mention.start, mention.end) == (start, start + len(surface))
    assert place in settlements(matcher, mention), f"{surface!r} -> {settlements(matcher, mention)}"
    assert mention.role == "place"
    return mention


@pytest.mark.parametrize("text,surface", [
    ("Ukrainian forces entered Izium on Saturday.", "Izium"),
    ("Ukrainian troops are in Izyum now.", "Izyum"),
    ("Les forces ukrainiennes sont entrées dans Izioum.", "Izioum"),
    ("ЗСУ увійшли в Ізюм.", "Ізюм"),
    ("ВСУ вошли в Изюм.", "Изюм"),
    ("Прапор підняли в Ізюмі.", "Ізюмі"),
    ("ВСУ вошли в Изюме.", "Изюме"),
    ("Les Ukrainiens sont entrés dans la ville d'Izium.", "Izium"),
    ("Les Ukrainiens sont près d’Izium.", "Izium"),
    ("Росіяни втекли з Ізюму.", "Ізюму"),
])
def test_izium_in_every_spelling_and_case(matcher, text, surface):
    assert_finds(matcher, text, surface, "Izium")


@pytest.mark.parametrize("text,surface,place", [
    ("Бої в Ізюмі тривають.", "Ізюмі", "Izium"),
    ("Ситуація в Бахмуті складна.", "Бахмуті", "Bakhmut"),
])
def test_locative_before_a_verb(matcher, text, surface, place):
    assert_finds(matcher, text, surface, place)


@pytest.mark.parametrize("text,surface,place", [
    ("Бої точаться під Бахмутом.", "Бахмутом", "Bakhmut"),
    ("Окупанти захопили Авдіївку.", "Авдіївку", "Avdiivka"),
    ("Российские войска захватили Авдеевку.", "Авдеевку", "Avdiivka"),
    ("ВС РФ продолжают штурм Угледара.", "Угледара", "Vuhledar"),
    ("Бои в Лимане продолжаются.", "Лимане", "Lyman"),
    ("Тривають бої в Лимані.", "Лимані", "Lyman"),
    ("La situation à Liman reste difficile.", "Liman", "Lyman"),
    ("Kiev denied the report.", "Kiev", "Kyiv"),
    ("Wagner fighters stormed Artemivsk.", "Artemivsk", "Bakhmut"),
    ("Бои за Артемовск продолжаются.", "Артемовск", "Bakhmut"),
    ("Russian forces shelled Severodonetsk and Lisichansk.", "Severodonetsk", "Sievierodonetsk"),
    ("Russian forces shelled Severodonetsk and Lisichansk.", "Lisichansk", "Lysychansk"),
    ("Вибухи пролунали біля Нової Каховки.", "Нової Каховки", "Nova Kakhovka"),
    ("Взрывы прогремели у Новой Каховки.", "Новой Каховки", "Nova Kakhovka"),
    ("ЗСУ звільнили Гракове.", "Гракове", "Hrakove"),
    ("Бої точилися біля Гракового.", "Гракового", "Hrakove"),
    ("Ukrainian troops entered Kupiansk's centre.", "Kupiansk", "Kupiansk"),
])
def test_case_forms_and_old_spellings(matcher, text, surface, place):
    assert_finds(matcher, text, surface, place)


@pytest.mark.parametrize("apostrophe", APOSTROPHES)
def test_kupiansk_with_every_apostrophe(matcher, apostrophe):
    surface = f"Куп{apostrophe}янська"
    mention = assert_finds(matcher, f"ЗСУ наближаються до {surface} зі сходу.", surface, "Kupiansk")
    assert mention.candidates == matcher.match("Куп'янськ")[0].candidates


@pytest.mark.parametrize("text,surface", [("Ракетний удар по Києву.", "Києву"), ("У Києві лунали вибухи.", "Києві"),
                                          ("Обстріл Києва триває.", "Києва")])
def test_kyiv_case_forms(matcher, text, surface):
    assert_finds(matcher, text, surface, "Kyiv")


def test_offsets_in_a_longer_multilingual_text(matcher):
    text = ("date 2022-09-10 — Les forces ukrainiennes ont repris Balakliia et avancent vers Koupiansk.\n"
            "ЗСУ увійшли до Ізюму, а росіяни відступили з Куп’янська та Вовчанська. "
            "In Izyum's centre the flag was raised.")
    mentions = matcher.match(text)
    assert [m.surface for m in mentions] == ["Balakliia", "Koupiansk", "Ізюму", "Куп’янська", "Вовчанська", "Izyum"]
    for mention in mentions:
        assert text[mention.start:mention.end] == mention.surface
    assert [m.start for m in mentions] == sorted(m.start for m in mentions)


@pytest.mark.parametrize("text", [
    "The Kharkivska oblast administration reported shelling.",  # oblast adjective, not Kharkiv
    "Kharkivska Oblast is under fire.",
    "Water was pumped from the Bakhmutka.",  # the river, not Bakhmut
    "The Lymanskyi district was shelled.",  # the district adjective, not Lyman
    "Izyumskiy road was closed.",
    "Avdiivskyi coke plant stopped.",
])
def test_no_town_inside_a_longer_word(matcher, text):
    assert all(not names for _, names, _ in found(matcher, text)), found(matcher, text)


def test_bakhmutka_river_and_bakhmut_town(matcher):
    result = found(matcher, "The Bakhmutka river runs through Bakhmut.")
    assert result == [("Bakhmutka", set(), "region"), ("Bakhmut", {"Bakhmut"}, "place")]


@pytest.mark.parametrize("text", [
    "Перемога буде за нами.",  # Peremoha is a village
    "Слава героям!",  # Slava
    "Свобода слова під загрозою.",  # Svoboda
    "Весна прийшла рано.",  # Vesna
    "Mars a été un mois difficile pour l'armée.",  # Mars
    "Надія є завжди.",  # Nadiia
])
def test_common_words_that_are_village_names(matcher, text):
    first_word = text.split()[0]
    assert matcher.gazetteer.find(first_word), f"the gazetteer holds a village called {first_word}: the test means something"
    assert found(matcher, text) == []


def test_a_person_is_not_the_town_of_volodymyr(matcher):
    assert matcher.gazetteer.find("Volodymyr"), "there is a town called Volodymyr"
    result = found(matcher, "Volodymyr Zelensky visited Kherson.")
    assert result == [("Kherson", {"Kherson"}, "place")]
    assert found(matcher, "President Volodymyr Zelensky said so.") == []
    # ... while the town itself is found
    assert found(matcher, "A missile hit Volodymyr in Volyn.")[0][1] == {"Volodymyr"}


def test_sea_of_azov_is_not_azovske(matcher):
    assert matcher.gazetteer.find("Азовське"), "there are villages called Azovske"
    for text in ("Узбережжя Азовського моря обстрілюють.", "Росія контролює узбережжя Азовського моря."):
        result = found(matcher, text)
        assert all("Azovske" not in names for _, names, _ in result), result
        assert all(role == "region" for _, _, role in result), result


@pytest.mark.parametrize("text,surface", [
    ("Ukrainian marines hold a bridgehead on the left bank of the Dnipro.", "Dnipro"),
    ("Les forces ukrainiennes ont traversé vers la rive gauche du Dniepr.", "Dniepr"),
    ("ВСУ закрепились на левом берегу Днепра.", "Днепра"),
    ("Ukrainian troops crossed the Dnipro river near Krynky.", "Dnipro river"),
])
def test_the_dnipro_river_is_not_a_settlement(matcher, text, surface):
    mention = next(m for m in matcher.match(text) if m.surface == surface)
    assert mention.role == "region"


def test_the_dnipro_river_on_the_ukrainian_left_bank(matcher):
    mention = next(m for m in matcher.match("ЗСУ закріпилися на лівому березі Дніпра.") if m.surface == "Дніпра")
    assert mention.role == "region"


@pytest.mark.parametrize("text,surface", [
    ("A Russian missile strike on Dnipro killed 40 people.", "Dnipro"),
    ("Une frappe russe sur Dnipro a fait 40 morts.", "Dnipro"),
])
def test_dnipro_the_city(matcher, text, surface):
    assert_finds(matcher, text, surface, "Dnipro")


def test_regions_and_countries_are_context_not_settlements(matcher):
    text = "Ukrainian forces advanced in the Kharkiv region and near Izium; Russia denied it."
    result = found(matcher, text)
    roles = {surface: role for surface, _, role in result}
    assert roles["Kharkiv region"] == "region"
    assert roles["Russia"] == "region"
    assert roles["Izium"] == "place"


@pytest.mark.parametrize("text,surface,place", [
    # German (Duden) and Spanish spellings
    ("Russische Truppen greifen Wuhledar an.", "Wuhledar", "Vuhledar"),
    ("Kämpfe bei Tschassiw Jar.", "Tschassiw Jar", "Chasiv Yar"),
    ("Die Lage in Wowtschansk bleibt angespannt.", "Wowtschansk", "Vovchansk"),
    ("Las tropas rusas avanzan hacia Bajmut.", "Bajmut", "Bakhmut"),
    # case endings of plural, neuter and soft-sign names, and of three-letter words
    ("Бої тривають у Липцях.", "Липцях", "Lyptsi"),
    ("Вибухи пролунали у Дніпрі.", "Дніпрі", "Dnipro"),
    ("Обстрел в Голой Пристани.", "Голой Пристани", "Hola Prystan"),
    ("Захват Часова Яра открыл бы путь.", "Часова Яра", "Chasiv Yar"),
    ("Бои под Часовым Яром.", "Часовым Яром", "Chasiv Yar"),
])
def test_more_spellings_and_endings(matcher, text, surface, place):
    assert_finds(matcher, text, surface, place)


def test_a_river_in_german_is_not_a_village(matcher):
    text = "Sjewjerodonezk auf dem gegenüberliegenden Ufer des Siwerskyj Donez war gefallen."
    assert [(s, r) for s, _, r in found(matcher, text) if r == "place"] == [("Sjewjerodonezk", "place")]


def test_a_first_name_in_german_is_not_a_village(matcher):
    assert all(surface != "Wladimir" for surface, _, _ in found(matcher, "Präsident Wladimir Putin gratulierte."))


def test_two_names_before_directions_are_both_fronts(matcher):
    roles = {surface: role for surface, _, role in found(matcher, "Forces in the Kharkiv and Donetsk directions reported combat.")}
    assert roles == {"Kharkiv": "region", "Donetsk": "region"}


@pytest.mark.parametrize("text,name", [
    ("Victoria Nuland visited Kyiv on Tuesday.", "Victoria"),
    ("Mark Rutte met the president in Kyiv.", "Mark"),
])
def test_western_first_names_are_not_places(matcher, text, name):
    assert all(surface != name for surface, _, _ in found(matcher, text))
