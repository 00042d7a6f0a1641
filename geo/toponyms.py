"""Finding place names in text: one pass over the tokens against the whole gazetteer.

Like spaCy's PhraseMatcher: the pattern index (folded token tuples -> ids) is
built once; `match` walks the text once, longest match first.  Ukrainian and
Russian case endings are undone at lookup time with suffix rules, so the index
holds only nominative forms and stays small.
"""
from __future__ import annotations

from functools import lru_cache
from itertools import product

from .gazetteer import Gazetteer
from .models import Mention
from .normalize import Token, is_cyrillic, tokenize

# (inflected ending, nominative ending) pairs on folded Cyrillic words (й->и, ї->і, ё->е, no apostrophes).
# Together they undo the Ukrainian and Russian cases of town names: Ізюмі, Бахмутом, Авдіївку,
# Авдіївці, Києва, Харкова, Балаклії, Гракового, Нової Каховки, Угледара, Авдеевке, Северодонецке.
CASE_RULES: tuple[tuple[str, str], ...] = (
    # masculine, consonant stem: Ізюм, Бахмут, Куп'янськ, Лиман, Угледар
    ("а", ""), ("у", ""), ("ові", ""), ("ом", ""), ("і", ""), ("е", ""), ("ем", ""),
    # masculine soft stem: Маріуполь, Мелітополь
    ("я", "ь"), ("ю", "ь"), ("ем", "ь"), ("і", "ь"), ("е", "ь"), ("еві", "ь"), ("и", "ь"),
    # Ukrainian і/о, ї/є alternation: Харків -> Харкова, Оріхів -> Оріхова, Київ -> Києва
    ("ова", "ів"), ("ову", "ів"), ("овом", "ів"), ("ові", "ів"), ("ового", "ів"), ("овому", "ів"), ("овим", "ів"), ("ым", ""), ("єва", "ів"), ("єву", "ів"), ("євом", "ів"), ("єві", "ів"),
    # feminine -ка: Авдіївка, Авдеевка
    ("ки", "ка"), ("ці", "ка"), ("ку", "ка"), ("кою", "ка"), ("ке", "ка"), ("кои", "ка"),
    # feminine -а / -я: Суджа, Балаклія, Балаклея; neuter -я: Запоріжжя
    ("и", "а"), ("і", "а"), ("у", "а"), ("ою", "а"), ("ею", "а"), ("е", "а"), ("ои", "а"), ("ы", "а"), ("еи", "а"),
    ("і", "я"), ("ю", "я"), ("єю", "я"), ("ею", "я"), ("и", "я"), ("е", "я"), ("еи", "я"), ("ям", "я"),
    # neuter adjectival: Гракове, Роботине, Старомайорське; Russian Новое; neuter nouns Гуляйполе
    ("ого", "е"), ("ому", "е"), ("им", "е"), ("ім", "е"), ("я", "е"), ("ю", "е"), ("ем", "е"),
    ("ого", "ое"), ("ом", "ое"), ("ому", "ое"), ("ым", "ое"),
    # Russian neuter -о: Работино, Граково
    ("а", "о"), ("у", "о"), ("ом", "о"), ("е", "о"), ("і", "о"),
    # plurals: Кринки, Піски, Бердичі, Пески
    ("ях", "і"), ("ям", "і"), ("ах", "и"), ("ів", "и"), ("ам", "и"), ("ами", "и"), ("ок", "ки"), ("ах", "і"), ("ів", "і"), ("ов", "ы"), ("ах", "ы"),
    ("ов", "и"),
    # adjectives in two-word names: Нова/Новая Каховка, Великий Бурлук, Красный Лиман
    ("оі", "а"), ("іи", "а"), ("ои", "ая"), ("ую", "ая"), ("ого", "ии"), ("ому", "ии"), ("им", "ии"), ("ім", "ии"),
    ("ого", "ыи"), ("ом", "ыи"), ("ому", "ыи"), ("ым", "ыи"), ("ого", "ои"), ("ом", "ои"),
)
_RULES_BY_LAST_CHAR: dict[str, list[tuple[str, str]]] = {}
for _inflected, _nominative in CASE_RULES:
    _RULES_BY_LAST_CHAR.setdefault(_inflected[-1], []).append((_inflected, _nominative))

# Words between the parts of a multi-word name: spaces and hyphens only, never punctuation.
_JOINERS = set(" \t\u00a0-‑–")
# Words that turn a following/preceding town name into its region ("province de Kharkiv", "Donetsk region").
REGION_WORDS_BEFORE = {"region", "province", "oblast", "oblasts", "regions", "provinces", "republique", "republic", "regionale",
                       "regional", "regionales", "regionaux",
                       "regione", "provincia", "gebiet", "raion", "district", "districts", "rayon", "area"}
REGION_WORDS_AFTER = {"region", "oblast", "province", "regions", "oblasts", "area", "область", "области", "області",
                      "обл", "oblasti", "gebiet", "people", "peoples", "regional", "provincial", "district",
                      "raion", "районі", "район", "района", "districts", "governor", "gouverneur", "губернатор",
                      "губернатора", "front", "axis", "sector", "secteur", "fronts", "axes", "sectors", "directions",
                      "direction", "областях", "областей", "напрямках", "направлениях"}
# "the Kharkiv and Donetsk directions": the first name of such a pair is a region too.
_PAIR_JOINERS = {"and", "et", "und", "y", "і", "й", "та", "и", "or", "ou"}
_LINKS = {"de", "d", "of", "du", "di", "del", "von"}
NOT_SETTLEMENTS = ("admin1:", "country:", "water:")
# A town's name used for a dam, a plant or a reservoir named after it.
INFRASTRUCTURE_WORDS = {"dam", "barrage", "reservoir", "гес", "гэс", "аес", "аэс", "npp", "водосховище", "водохранилище",
                        "staudamm", "kraftwerk", "presa", "embalse", "hpp", "hydroelectric", "hydroelectrique"}
# Words near a name that say it is the river, not the city (Dnipro, Oskil, Donets).
WATER_WORDS = {"river", "rivers", "riviere", "fleuve", "bank", "banks", "rive", "rives", "berge", "berges", "across", "crossing",
               "crossed", "cross", "dam", "barrage", "fluss", "ufer", "rio", "orilla", "берег", "берега", "берегу", "берегом",
               "берегах", "річка", "річки", "річку", "річці", "река", "реки", "реке", "реку", "рекой", "переправа",
               "переправи", "переправы", "через", "лівобережжя", "правобережжя", "левобережье", "правобережье",
               "traverser", "traverse", "franchi", "franchir", "delta", "дельта", "гирло", "устье", "водосховище", "березі", "along",
               "long", "вздовж", "вдоль", "upstream", "downstream", "amont", "aval", "лівому", "правому", "левом", "правом"}
# Case endings of adjectives (folded): an inflected name with one of these may just be an adjective.
ADJECTIVE_ENDINGS = ("ого", "ому", "ым", "им", "ім", "ои", "оі", "іи", "ую", "ыи", "ии", "ые", "ие")
_REGION_OR_INFRASTRUCTURE_BEFORE = REGION_WORDS_BEFORE | INFRASTRUCTURE_WORDS
DIRECTION_WORDS = {"направление", "направлении", "направления", "направлению", "напрямок", "напрямку", "напрямі", "напряму"}
# Short words that may follow a town name in running text ("біля Водяного та Опитного").
FUNCTION_WORDS = {"та", "і", "и", "й", "а", "але", "в", "у", "на", "під", "біля", "з", "із", "до", "від", "по", "за", "над",
                  "но", "под", "около", "с", "из", "от", "возле", "близ", "не", "ні", "ни", "же", "що", "что", "який",
                  "яке", "яка", "які", "которое", "который", "которая", "которые", "після", "после", "через",
                  "вже", "уже", "ще", "еще", "також", "также", "тоже", "теж", "було", "было", "були", "были", "був",
                  "был", "була", "была", "є", "есть", "де", "где", "поблизу", "вблизи", "неподалік", "неподалеку"}


class PlaceMatcher:
    """Pattern index over every name form in the gazetteer; `match(text)` finds them in one pass."""

    def __init__(self, gazetteer: Gazetteer):
        self.gazetteer = gazetteer
        self.common_words = gazetteer.common_words
        phrases: dict[tuple[str, ...], set[str]] = {}
        for place_id, forms in gazetteer.names.items():
            for form in forms:
                self._add(phrases, form, place_id)
        for region in gazetteer.regions.values():
            for form in region.names:
                self._add(phrases, form, region.region_id)
        self.phrases: dict[tuple[str, ...], tuple[str, ...]] = {k: tuple(sorted(v)) for k, v in phrases.items()}
        self.longest: dict[str, int] = {}
        for key in self.phrases:
            if len(key) > self.longest.get(key[0], 0):
                self.longest[key[0]] = len(key)

    @staticmethod
    def _add(phrases: dict[tuple[str, ...], set[str]], form: str, target: str) -> None:
        key = tuple(t.folded for t in tokenize(form))
        if key and (len(key) > 1 or len(key[0]) >= 3):
            phrases.setdefault(key, set()).add(target)

    def variants(self, token: Token) -> tuple[str, ...]:
        """The folded word and, for Cyrillic words, the nominatives its case ending could come from."""
        return _variants(token.folded)

    def match(self, text: str, tokens: list[Token] | None = None, *, check_plausible: bool = True) -> list[Mention]:
        """Every place or region name in `text`, left to right, longest match first, no overlaps.

        `check_plausible=False` skips the common-word and person-name filters, for text a NER model already
        tagged as a place."""
        tokens = tokenize(text) if tokens is None else tokens
        lowercase_words = {t.folded for t in tokens if t.text[:1].islower()}
        mentions: list[Mention] = []
        variant_cache: dict[int, tuple[str, ...]] = {}

        def variants_at(index: int) -> tuple[str, ...]:
            if index not in variant_cache:
                variant_cache[index] = self.variants(tokens[index])
            return variant_cache[index]

        # Names start at a capitalised word, not at an acronym ("ЗСУ", "UN"); the other words are skipped in one pass.
        openings = [i for i, t in enumerate(tokens) if t.text[:1].isupper() and not (t.text.isupper() and len(t.text) <= 3)]
        next_free = 0  # the first token not inside a name already found
        for i in openings:
            if i < next_free:
                continue
            firsts = [v for v in variants_at(i) if v in self.longest]
            hit = None
            if firsts:
                span, longest = 1, max(self.longest[v] for v in firsts)
                while span < longest and i + span < len(tokens) \
                        and set(text[tokens[i + span - 1].end:tokens[i + span].start]) <= _JOINERS \
                        and tokens[i + span].start > tokens[i + span - 1].end:
                    span += 1
                for length in range(span, 0, -1):
                    pools = [firsts] + [variants_at(i + k) for k in range(1, length)]
                    keys = [key for key in product(*pools) if key in self.phrases]
                    if check_plausible:
                        keys = [key for key in keys if self._plausible(key, tokens, i, self.phrases[key], lowercase_words)]
                    if keys:
                        # every reading of the word form stays a candidate ("Бердичів": the town, or the
                        # genitive of the village Бердичі); disambiguation chooses by context
                        ids = tuple(sorted({pid for key in keys for pid in self.phrases[key]}))
                        hit = (length, keys[0], ids)
                        break
            if hit is None:
                continue
            length, key, ids = hit
            start, end = tokens[i].start, tokens[i + length - 1].end
            mentions.append(Mention(text[start:end], start, end, key, ids, self._role(tokens, i, length, ids)))
            next_free = i + length
        return mentions

    def _plausible(self, key: tuple[str, ...], tokens: list[Token], i: int, ids: tuple[str, ...],
                   lowercase_words: set[str]) -> bool:
        """Reject common words and people's surnames that happen to be village names."""
        if any(pid.startswith(NOT_SETTLEMENTS) for pid in ids) or len(key) > 1:
            return True
        word = key[0]
        if word in self.common_words or tokens[i].folded in self.common_words:
            return False
        if i + 1 < len(tokens) and tokens[i + 1].folded in DIRECTION_WORDS and tokens[i].folded.endswith(("ськое", "ське", "ское", "цкое", "цьке", "ский", "ський")):
            return False  # "Торецкое направление": the Toretsk axis, not the village of Toretske
        if word != tokens[i].folded and tokens[i].folded.endswith(ADJECTIVE_ENDINGS) and i + 1 < len(tokens):
            following = tokens[i + 1]
            adjacent = following.start - tokens[i].end <= 1
            if adjacent and following.folded not in FUNCTION_WORDS and \
                    (following.text[:1].islower() or following.folded not in self.longest):
                return False  # "Азовського моря", "Красного Креста": an adjective, not Azovske or Krasne
        if word in lowercase_words or tokens[i].folded in lowercase_words:
            return False  # the text uses it as an ordinary word elsewhere
        if word in self.gazetteer.first_names and i + 1 < len(tokens) and tokens[i + 1].text[:1].isupper() \
                and tokens[i + 1].start - tokens[i].end <= 1:
            return False  # "Volodymyr Zelensky": a person, not the town of Volodymyr
        if i > 0:
            before = tokens[i - 1]
            adjacent = tokens[i].start - before.end <= 1
            if adjacent and before.text[:1].isupper() and before.folded in self.gazetteer.first_names:
                return False  # "Volodymyr Tymoshenko": a first name, then a surname
        return True

    def _role(self, tokens: list[Token], i: int, length: int, ids: tuple[str, ...]) -> str:
        settlements = [pid for pid in ids if not pid.startswith(NOT_SETTLEMENTS)]
        if not settlements:
            return "region"
        if any(pid.startswith("admin1:") for pid in ids) and \
                max(self.gazetteer.places[pid].population for pid in settlements) < 100000:
            return "region"  # "Харківщина" is the oblast, whatever village shares the name
        if any(pid.startswith("water:") for pid in ids):
            nearby = {t.folded for t in tokens[max(0, i - 3):i + length + 2]}
            biggest = max(self.gazetteer.places[pid].population for pid in settlements)
            if nearby & WATER_WORDS or biggest < 100000:
                return "region"  # the Dnipro river, not Dnipro city; the Oskil, not the village of Oskil
        before = [t.folded for t in tokens[max(0, i - 3):i]]
        after = tokens[i + length].folded if i + length < len(tokens) else ""
        if before and before[-1] in _LINKS and any(w in REGION_WORDS_BEFORE for w in before[:-1]):
            return "region"
        if before and before[-1] == "на" and tokens[i + length - 1].folded.endswith("і") and length == 1:
            return "region"  # "на Запоріжжі", "на Донбасі": the region; the city would be "у Запоріжжі"
        if before and before[-1] in _REGION_OR_INFRASTRUCTURE_BEFORE:
            return "region"  # "im Gebiet Donezk", "barrage Kakhovka"
        if after in INFRASTRUCTURE_WORDS or (before and before[-1] in _LINKS and len(before) > 1
                                             and before[-2] in INFRASTRUCTURE_WORDS):
            return "region"  # "Kakhovka dam", "le barrage de Kakhovka": the dam, not the town
        if after in REGION_WORDS_AFTER:
            return "region"
        if after in _PAIR_JOINERS and i + length + 2 < len(tokens) and tokens[i + length + 1].text[:1].isupper() \
                and tokens[i + length + 2].folded in REGION_WORDS_AFTER and tokens[i + length + 2].folded.endswith(("s", "х", "ей")):
            return "region"
        return "place"



@lru_cache(maxsize=65536)
def _variants(word: str) -> tuple[str, ...]:
    """`PlaceMatcher.variants` of a folded word (cached: words repeat)."""
    if not is_cyrillic(word) or len(word) < 3:  # 3 letters: "Яра", "Рога" in "Часова Яра", "Кривого Рога"
        return (word,)
    found = [word]
    for inflected, nominative in _RULES_BY_LAST_CHAR.get(word[-1], ()):
        if word.endswith(inflected) and len(word) - len(inflected) >= 2:
            candidate = word[: len(word) - len(inflected)] + nominative
            if inflected == "і" and candidate.endswith(("ськ", "цьк")):
                continue  # "Українські" is an adjective; the town's locative is "в Українську"
            if candidate not in found:
                found.append(candidate)
    return tuple(found)


_shared: tuple[Gazetteer, PlaceMatcher] | None = None


def matcher_for(gazetteer: Gazetteer) -> PlaceMatcher:
    """The gazetteer's name index, built once (about a second) and shared by the extractor and the geocoders."""
    global _shared
    if _shared is None or _shared[0] is not gazetteer:
        _shared = (gazetteer, PlaceMatcher(gazetteer))
    return _shared[1]
