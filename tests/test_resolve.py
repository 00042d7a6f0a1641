"""Choosing among same-name places from the report's own context (the bundled gazetteer has ~80 Andriivkas)."""
from __future__ import annotations

import pytest

from geo.gazetteer import distance_km
from geo.models import Place
from geo.resolve import resolve

BAKHMUT_ANDRIIVKA = (48.50, 37.97)  # the village south of Bakhmut retaken in September 2023


def resolved(matcher, gazetteer, text: str) -> list[tuple[str, Place]]:
    resolution = resolve(matcher.match(text), gazetteer)
    return [(mention.surface, place) for mention, place in resolution.places]


def place_of(matcher, gazetteer, text: str, surface: str) -> Place:
    places = {place.place_id: place for s, place in resolved(matcher, gazetteer, text) if s == surface}
    assert len(places) == 1, f"{surface!r} in {text!r} resolved to {places}"
    return next(iter(places.values()))


def test_the_name_really_is_ambiguous(gazetteer):
    andriivkas = gazetteer.find("Andriivka")
    assert len(andriivkas) > 20
    assert {p.admin1_iso for p in andriivkas} >= {"UA-14", "UA-63"}
    assert any(distance_km(p.lat, p.lon, *BAKHMUT_ANDRIIVKA) < 10 for p in andriivkas)


@pytest.mark.parametrize("text", [
    "Andriivka, south of Bakhmut, was retaken by Ukrainian forces.",
    "Ukrainian forces retook Andriivka, a village south of Bakhmut.",
    "ЗСУ звільнили Андріївку на південь від Бахмута.",
])
def test_andriivka_next_to_bakhmut(matcher, gazetteer, text):
    surface = "Андріївку" if "Андріївку" in text else "Andriivka"
    place = place_of(matcher, gazetteer, text, surface)
    assert place.admin1 == "Donetsk Oblast"
    assert place.raion == "Бахмутський"
    assert distance_km(place.lat, place.lon, *BAKHMUT_ANDRIIVKA) < 10


@pytest.mark.parametrize("text", [
    "Ukrainian forces advanced near Balakliia and Izium. Andriivka was liberated.",
    "The counteroffensive east of Balakliia reached Andriivka on the road to Izium.",
])
def test_andriivka_in_a_report_about_kharkiv_region(matcher, gazetteer, text):
    place = place_of(matcher, gazetteer, text, "Andriivka")
    assert place.admin1 == "Kharkiv Oblast"
    izium = gazetteer.find("Izium")[0]
    assert distance_km(place.lat, place.lon, izium.lat, izium.lon) < 80


@pytest.mark.parametrize("text,oblast", [
    ("Russian troops shelled Novoselivka in Kharkiv oblast.", "UA-63"),
    ("Russian troops shelled Novoselivka, Kharkiv region.", "UA-63"),
    ("Окупанти обстріляли Новоселівку Харківської області.", "UA-63"),
    ("Russian troops shelled Novoselivka in Donetsk oblast.", "UA-14"),
    ("Russian troops shelled Novoselivka in Zaporizhzhia oblast.", "UA-23"),
])
def test_an_oblast_named_in_the_text_wins(matcher, gazetteer, text, oblast):
    surface = "Новоселівку" if "Новоселівку" in text else "Novoselivka"
    assert len({p.admin1_iso for p in gazetteer.find("Novoselivka")}) > 5
    assert place_of(matcher, gazetteer, text, surface).admin1_iso == oblast


def test_resolution_reports_the_regions_named(matcher, gazetteer):
    resolution = resolve(matcher.match("Shelling in the Kharkiv region and in Zaporizhzhia oblast, Ukraine."), gazetteer)
    assert {"UA-63", "UA-23", "UA"} <= resolution.regions
    assert resolution.places == ()


def test_kyiv_is_the_capital_in_a_report_about_kherson(matcher, gazetteer):
    text = ("Kyiv said Ukrainian troops entered Kherson, Beryslav and Snihurivka in Mykolaiv oblast. "
            "Crowds in Kherson cheered; Kyiv promised to restore power.")
    villages_called_kyiv = [p for p in gazetteer.find("Kyiv") if p.kind != "capital"]
    assert any(p.admin1_iso in ("UA-48", "UA-65") for p in villages_called_kyiv), "a village Kyiv near Kherson exists"
    kyiv = place_of(matcher, gazetteer, text, "Kyiv")
    assert kyiv.kind == "capital"
    assert distance_km(kyiv.lat, kyiv.lon, 50.45, 30.52) < 10
    assert place_of(matcher, gazetteer, text, "Kherson").admin1_iso == "UA-65"


def test_the_same_name_resolves_to_the_same_place_every_time(matcher, gazetteer):
    filler = "The weather was cold and the roads were muddy. " * 12
    text = (f"Ukrainian troops retook Andriivka, south of Bakhmut. {filler}"
            "Later Андріївку was shelled again, and Andriivka lost power. Andriivka is now a ruin.")
    places = {(s, p.place_id) for s, p in resolved(matcher, gazetteer, text) if s in ("Andriivka", "Андріївку")}
    assert len({pid for _, pid in places}) == 1, places
    assert len([s for s, _ in resolved(matcher, gazetteer, text) if s == "Andriivka"]) == 3
    # and the answer does not depend on the run
    assert resolved(matcher, gazetteer, text) == resolved(matcher, gazetteer, text)


def test_each_settlement_mention_gets_one_place_and_regions_get_none(matcher, gazetteer):
    text = "Russian forces attacked Avdiivka in Donetsk oblast, near the Dnipro river, not far from Russia."
    pairs = resolved(matcher, gazetteer, text)
    assert [s for s, _ in pairs] == ["Avdiivka"]
    assert pairs[0][1].admin1_iso == "UA-14"  # the Donetsk Avdiivka, not the Chernihiv villages


def test_a_village_named_beside_a_town_is_the_one_next_to_it(matcher, gazetteer):
    text = ("Sumy region. Trostianets was retaken. In Novoselivka, a village on Chernihiv's north-eastern edge, "
            "residents returned. Okhtyrka and Sumy were shelled.")
    chernihiv = gazetteer.find("Chernihiv")[0]
    place = place_of(matcher, gazetteer, text, "Novoselivka")
    assert distance_km(place.lat, place.lon, chernihiv.lat, chernihiv.lon) < 20


def test_two_same_name_places_told_apart_by_their_oblasts(matcher, gazetteer):
    text = ("Тривають бої біля Кам'янського Запорізької області. Це село не слід плутати з містом Камʼянське "
            "на Дніпропетровщині.")
    resolution = resolve(matcher.match(text), gazetteer, text)
    oblasts = {mention.surface: place.admin1_iso for mention, place in resolution.places}
    assert oblasts == {"Кам'янського": "UA-23", "Камʼянське": "UA-12"}


def test_the_oblast_of_a_place_not_to_be_confused_with_is_not_the_reports_area(matcher, gazetteer):
    text = ("Les forces ukrainiennes ont repris Piatykhatky, dans le district de Vassylivka, au sud-est de Zaporijjia. "
            "Ce village ne doit pas être confondu avec la ville de Piatykhatky, dans la région de Dnipropetrovsk.")
    resolution = resolve(matcher.match(text), gazetteer, text)
    first, last = resolution.places[0], resolution.places[-1]
    assert first[0].surface == "Piatykhatky" and first[1].admin1_iso == "UA-23"
    assert last[0].surface == "Piatykhatky" and last[1].admin1_iso == "UA-12"


@pytest.mark.parametrize("text,surface", [
    ("Russian missiles hit Sloviansk overnight.", "Sloviansk"),
    ("Ракети влучили у Слов'янськ.", "Слов'янськ"),
])
def test_a_towns_own_name_beats_another_towns_historical_alias(matcher, gazetteer, text, surface):
    # GeoNames lists "Slov'yansk" among Nikopol's old names; the two towns are the same size
    assert any(p.name == "Nikopol" for p in gazetteer.find("Slov'yansk"))
    assert place_of(matcher, gazetteer, text, surface).name == "Sloviansk"


def test_a_region_named_in_passing_does_not_pull_villages_away_from_the_front(matcher, gazetteer):
    text = ("Ukraine said its forces had recaptured Storozheve and Makarivka along the Mokri Yaly river south of "
            "Velyka Novosilka, in the first gains of the counter-offensive. The push aims, in the longer run, at the "
            "land corridor that links Russia with occupied Crimea.")
    velyka_novosilka = gazetteer.find("Velyka Novosilka")[0]
    for surface in ("Storozheve", "Makarivka"):
        place = place_of(matcher, gazetteer, text, surface)
        assert place.admin1_iso != "UA-43"
        assert distance_km(place.lat, place.lon, velyka_novosilka.lat, velyka_novosilka.lon) < 25


def test_a_region_named_beside_the_village_still_decides(matcher, gazetteer):
    text = ("Fighting continued near Velyka Novosilka. Separately, officials in Crimea said Makarivka, "
            "in Crimea, was quiet.")
    assert place_of(matcher, gazetteer, text, "Makarivka").admin1_iso == "UA-43"


def test_a_name_repeated_many_times_still_resolves_by_its_neighbours(matcher, gazetteer):
    # a long run-on report: closeness is computed by bisection over the repeats
    text = "Ukrainian forces retook Andriivka, south of Bakhmut. " + "Shelling continued near Bakhmut. " * 3000
    place = place_of(matcher, gazetteer, text, "Andriivka")
    assert distance_km(place.lat, place.lon, *BAKHMUT_ANDRIIVKA) < 10
