"""Finding place names in text: one pass over the tokens against the whole gazetteer.

Like spaCy's PhraseMatcher: the pattern index (folded token tuples -> ids) is
built once; `match` walks the text once, longest match first.  Ukrainian and
Russian case endings are undone at lookup time with suffix rules, so the index
holds only nominative forms and stays small.
"""
from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from itertools import compress, count, product
from operator import itemgetter
from typing import NamedTuple

from .gazetteer import Gazetteer
from .models import Mention, make_mention
from .normalize import Token, WordColumns, is_cyrillic, word_columns

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
        region_keys = set()  # names of an oblast, a country or a river: never filtered as common words
        for region in gazetteer.regions.values():
            for form in region.names:
                region_keys.add(self._add(phrases, form, region.region_id))
        self.phrases: dict[tuple[str, ...], tuple[str, ...]] = {k: tuple(sorted(v)) for k, v in phrases.items()}
        self._region_keys = frozenset(region_keys - {None})
        self.longest: dict[str, int] = {}
        for key in self.phrases:
            if len(key) > self.longest.get(key[0], 0):
                self.longest[key[0]] = len(key)
        self._name_starts = _NameStarts(self.phrases, self.longest)
        self._kinds: dict[tuple[str, ...], _Kinds] = {}

    @staticmethod
    def _add(phrases: dict[tuple[str, ...], set[str]], form: str, target: str) -> tuple[str, ...] | None:
        key = tuple(word_columns(form).folded)
        if key and (len(key) > 1 or len(key[0]) >= 3):
            phrases.setdefault(key, set()).add(target)
            return key
        return None

    def variants(self, token: Token) -> tuple[str, ...]:
        """The folded word and, for Cyrillic words, the nominatives its case ending could come from."""
        return _variants(token.folded)

    def match(self, text: str, *, check_plausible: bool = True) -> list[Mention]:
        """Every place or region name in `text`, left to right, longest match first, no overlaps.

        `check_plausible=False` skips the common-word and person-name filters, for text a NER model already
        tagged as a place."""
        words = _Words(word_columns(text))
        folded, starts, ends = words.folded, words.starts, words.ends
        n_words = len(folded)
        mentions: list[Mention] = []
        next_free = 0  # the first token not inside a name already found
        for i in words.capitalised():
            if i < next_free:
                continue
            firsts, longest, one_word_keys = self._name_starts[folded[i]]
            # Names start at a capitalised word, not at an acronym ("ЗСУ", "UN")
            if not firsts or (words.words[i].isupper() and len(words.words[i]) <= 3):
                continue
            span = 1
            while span < longest and i + span < n_words and starts[i + span] > ends[i + span - 1] \
                    and set(text[ends[i + span - 1]:starts[i + span]]) <= _JOINERS:
                span += 1
            hit = None
            for length in range(span, 0, -1):
                if length == 1:
                    keys = list(one_word_keys)
                else:
                    pools = [firsts] + [_variants(folded[i + k]) for k in range(1, length)]
                    keys = [key for key in product(*pools) if key in self.phrases]
                if check_plausible:
                    keys = [key for key in keys if self._plausible(key, words, i)]
                if keys:
                    # every reading of the word form stays a candidate ("Бердичів": the town, or the
                    # genitive of the village Бердичі); disambiguation chooses by context
                    ids = self.phrases[keys[0]] if len(keys) == 1 else \
                        tuple(sorted({pid for key in keys for pid in self.phrases[key]}))
                    hit = (length, keys[0], ids)
                    break
            if hit is None:
                continue
            length, key, ids = hit
            start, end = starts[i], ends[i + length - 1]
            mentions.append(make_mention(text[start:end], start, end, key, ids, self._role(words, i, length, ids)))
            next_free = i + length
        return mentions

    def _plausible(self, key: tuple[str, ...], words: _Words, i: int) -> bool:
        """Reject common words and people's surnames that happen to be village names."""
        if len(key) > 1 or key in self._region_keys:
            return True
        word = key[0]
        folded, starts, ends = words.folded, words.starts, words.ends
        this = folded[i]
        if word in self.common_words or this in self.common_words:
            return False
        following = i + 1
        has_following = following < len(folded)
        if has_following and folded[following] in DIRECTION_WORDS and this.endswith(("ськое", "ське", "ское", "цкое", "цьке", "ский", "ський")):
            return False  # "Торецкое направление": the Toretsk axis, not the village of Toretske
        if has_following and word != this and this.endswith(ADJECTIVE_ENDINGS):
            adjacent = starts[following] - ends[i] <= 1
            if adjacent and folded[following] not in FUNCTION_WORDS and \
                    (words.words[following][:1].islower() or folded[following] not in self.longest):
                return False  # "Азовського моря", "Красного Креста": an adjective, not Azovske or Krasne
        lowercase = words.lowercase()
        if word in lowercase or this in lowercase:
            return False  # the text uses it as an ordinary word elsewhere
        if has_following and word in self.gazetteer.first_names and words.words[following][:1].isupper() \
                and starts[following] - ends[i] <= 1:
            return False  # "Volodymyr Zelensky": a person, not the town of Volodymyr
        if i > 0:
            adjacent = starts[i] - ends[i - 1] <= 1
            if adjacent and words.words[i - 1][:1].isupper() and folded[i - 1] in self.gazetteer.first_names:
                return False  # "Volodymyr Tymoshenko": a first name, then a surname
        return True

    def _role(self, words: _Words, i: int, length: int, ids: tuple[str, ...]) -> str:
        kinds = self._kinds.get(ids)
        if kinds is None:
            kinds = self._kinds[ids] = _Kinds.of(ids, self.gazetteer)
        if not kinds.settlements:
            return "region"
        if kinds.oblast and kinds.biggest < 100000:
            return "region"  # "Харківщина" is the oblast, whatever village shares the name
        folded = words.folded
        if kinds.water:
            nearby = set(folded[max(0, i - 3):i + length + 2])
            if nearby & WATER_WORDS or kinds.biggest < 100000:
                return "region"  # the Dnipro river, not Dnipro city; the Oskil, not the village of Oskil
        before = folded[max(0, i - 3):i]
        after = folded[i + length] if i + length < len(folded) else ""
        if before and before[-1] in _LINKS and any(w in REGION_WORDS_BEFORE for w in before[:-1]):
            return "region"
        if before and before[-1] == "на" and folded[i + length - 1].endswith("і") and length == 1:
            return "region"  # "на Запоріжжі", "на Донбасі": the region; the city would be "у Запоріжжі"
        if before and before[-1] in _REGION_OR_INFRASTRUCTURE_BEFORE:
            return "region"  # "im Gebiet Donezk", "barrage Kakhovka"
        if after in INFRASTRUCTURE_WORDS or (before and before[-1] in _LINKS and len(before) > 1
                                             and before[-2] in INFRASTRUCTURE_WORDS):
            return "region"  # "Kakhovka dam", "le barrage de Kakhovka": the dam, not the town
        if after in REGION_WORDS_AFTER:
            return "region"
        if after in _PAIR_JOINERS and i + length + 2 < len(folded) and words.words[i + length + 1][:1].isupper() \
                and folded[i + length + 2] in REGION_WORDS_AFTER and folded[i + length + 2].endswith(("s", "х", "ей")):
            return "region"
        return "place"


_FIRST_LETTER = itemgetter(slice(0, 1))  # word[:1]: safe on an empty word


class _Words:
    """A text's tokens as columns (see `WordColumns`), with what the matcher asks of all of them."""

    __slots__ = ("words", "folded", "starts", "ends", "_first_letters", "_lowercase")

    def __init__(self, columns: WordColumns):
        self.words, self.folded, self.starts, self.ends = columns
        # every word's first letter, cut once for both `capitalised` and `lowercase` (cutting is most of their cost)
        self._first_letters = list(map(_FIRST_LETTER, self.words))
        self._lowercase: set[str] | None = None

    def capitalised(self) -> Iterator[int]:
        """Indices of the words that begin with a capital: picked in C with compress/map, this looks at every word."""
        return compress(count(), map(str.isupper, self._first_letters))

    def lowercase(self) -> set[str]:
        """The folded words the text writes in lower case somewhere; built in C on first need."""
        if self._lowercase is None:
            self._lowercase = set(compress(self.folded, map(str.islower, self._first_letters)))
        return self._lowercase


class _NameStarts(dict):
    """folded word -> (its variants that begin a name in the index, the most words such a name has,
    the one-word names among its variants as index keys).

    Filled on first sight of a word (words repeat), so a capitalised word costs one dict lookup."""

    def __init__(self, phrases: dict[tuple[str, ...], tuple[str, ...]], longest: dict[str, int]):
        super().__init__()
        self.phrases = phrases
        self.longest = longest

    def __missing__(self, word: str) -> tuple[tuple[str, ...], int, tuple[tuple[str], ...]]:
        if len(self) > 200_000:
            self.clear()  # bounded memory on an endless stream of new words
        firsts = tuple(v for v in _variants(word) if v in self.longest)
        one_word_keys = tuple((v,) for v in firsts if (v,) in self.phrases)
        found = self[word] = (firsts, max((self.longest[v] for v in firsts), default=0), one_word_keys)
        return found


class _Kinds(NamedTuple):
    """What a name's candidate ids are, worked out once per distinct candidate tuple."""

    settlements: bool  # some candidate is a settlement
    oblast: bool  # some candidate is an oblast
    water: bool  # some candidate is a river or a sea
    biggest: int  # population of the biggest settlement

    @classmethod
    def of(cls, ids: tuple[str, ...], gazetteer: Gazetteer) -> _Kinds:
        settlements = [pid for pid in ids if not pid.startswith(NOT_SETTLEMENTS)]
        return cls(bool(settlements), any(pid.startswith("admin1:") for pid in ids),
                   any(pid.startswith("water:") for pid in ids),
                   max((gazetteer.places[pid].population for pid in settlements), default=0))


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
