"""`python -m geo extract|ingest|export`: argument parsing, then library calls."""
from __future__ import annotations

import argparse
import csv
import json
import logging
import sys
from collections.abc import Sequence

from .reports import ReportError, load_reports


def _add_geocoder_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--geocoder", default="gazetteer", choices=["gazetteer", "nominatim", "photon"],
                        help="where coordinates come from (default: the bundled gazetteer, offline)")
    parser.add_argument("--geocoder-domain", help="host[:port] of the online geocoder")
    parser.add_argument("--geocoder-scheme", default="https", choices=["http", "https"])
    parser.add_argument("--geocoder-timeout", type=float, default=5.0)
    parser.add_argument("--geocoder-cache", default=".cache/geocode.sqlite", help="on-disk cache of online answers")
    parser.add_argument("--ner", metavar="SPACY_MODEL", help="optional spaCy model (e.g. fr_core_news_sm) proposing extra names")


def _add_filter_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", help="SQLite file or SQLAlchemy URL (default: data/control.sqlite or $GEO_DB_URL)")
    parser.add_argument("--start", help="first report date (YYYY-MM-DD)")
    parser.add_argument("--end", help="the map shows each town's status as of this date")
    parser.add_argument("--status", action="append", default=[], help="ukraine, russia, contested or mentioned")
    parser.add_argument("--language", action="append", default=[])
    parser.add_argument("--source", action="append", default=[])


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m geo", description=__doc__)
    parser.add_argument("-q", "--quiet", action="store_true")
    sub = parser.add_subparsers(dest="command", required=True)

    extract = sub.add_parser("extract", help="print the places each report names, with their status")
    extract.add_argument("paths", nargs="+", help="report files or folders")
    extract.add_argument("--format", default="jsonl", choices=["jsonl", "json", "csv", "table"])
    extract.add_argument("--unresolved", action="store_true", help="also print names no geocoder could place")
    _add_geocoder_options(extract)

    ingest = sub.add_parser("ingest", help="parse, geocode, classify and store reports in the database")
    ingest.add_argument("paths", nargs="+")
    ingest.add_argument("--db", help="SQLite file or SQLAlchemy URL (default: data/control.sqlite or $GEO_DB_URL)")
    _add_geocoder_options(ingest)

    export = sub.add_parser("export", help="write the map as PNG/HTML and the markers as GeoJSON/CSV")
    export.add_argument("--png")
    export.add_argument("--html")
    export.add_argument("--geojson")
    export.add_argument("--csv")
    export.add_argument("--width", type=int, default=1600)
    export.add_argument("--height", type=int, default=1000)
    _add_filter_options(export)
    return parser


def _extractor(args: argparse.Namespace):
    from .geocoding import make_geocoder
    from .pipeline import Extractor

    geocoder = None
    if args.geocoder != "gazetteer":
        geocoder = make_geocoder(args.geocoder, domain=args.geocoder_domain, scheme=args.geocoder_scheme,
                                 timeout=args.geocoder_timeout, cache_path=args.geocoder_cache)
    return Extractor(geocoder=geocoder, ner_model=args.ner)


def _fail(error: ReportError) -> None:
    print(f"error: {error}", file=sys.stderr)


def cmd_extract(args: argparse.Namespace) -> int:
    extractor = _extractor(args)
    failed = 0
    rows: list[dict] = []
    out = sys.stdout
    for item in extractor.run(load_reports(args.paths)):
        if isinstance(item, ReportError):
            _fail(item)
            failed += 1
            continue
        report, events, unresolved = item
        if report.date is None:
            print(f"warning: {report.path}: no date found; report_date is null", file=sys.stderr)
        records = [e.to_record() for e in events]
        if args.unresolved:
            records += [u.to_record() for u in unresolved]
        if args.format == "jsonl":
            for record in records:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            rows.extend(records)
    if args.format == "json":
        json.dump(rows, out, ensure_ascii=False, indent=1)
        out.write("\n")
    elif args.format in ("csv", "table"):
        columns = ["report", "report_date", "name", "admin1", "status", "change", "confidence", "lat", "lon", "place_id"]
        if args.format == "csv":
            writer = csv.DictWriter(out, columns, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(r for r in rows if "place_id" in r)
        else:
            for r in rows:
                if "place_id" in r:
                    out.write(f"{r['report_date'] or '-':10}  {r['status']:9}  {r['name'][:28]:28}  {r['admin1'][:24]:24}  "
                              f"{r['change'] or '':10}  {r['report']}\n")
    return 1 if failed else 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from .ingest import ingest_reports
    from .store import Store

    store = Store(args.db)
    outcomes = ingest_reports(load_reports(args.paths), store, _extractor(args))
    for outcome in outcomes:
        if outcome.error:
            print(f"error: {outcome.name}: {outcome.error}", file=sys.stderr)
    failed = sum(1 for o in outcomes if not o.ok)
    if not args.quiet:
        added = [o for o in outcomes if o.added]
        print(f"ingested {len(added)} report(s) with {sum(o.events for o in added)} event(s); "
              f"{sum(1 for o in outcomes if o.ok and not o.added)} already stored; {failed} failed -> {store.url}",
              file=sys.stderr)
    return 1 if failed else 0


def cmd_export(args: argparse.Namespace) -> int:
    from .export import export_all
    from .store import Filters, Store

    if not any((args.png, args.html, args.geojson, args.csv)):
        print("error: nothing to export; give --png, --html, --geojson and/or --csv", file=sys.stderr)
        return 2
    filters = Filters(args.start, args.end, tuple(args.status), tuple(args.language), tuple(args.source))
    written = export_all(Store(args.db), filters, png=args.png, html=args.html, geojson=args.geojson,
                         csv_path=args.csv, size=(args.width, args.height))
    for path in written:
        print(f"wrote {path}", file=sys.stderr)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.ERROR if args.quiet else logging.WARNING, format="warning: %(message)s")
    handler = {"extract": cmd_extract, "ingest": cmd_ingest, "export": cmd_export}[args.command]
    return handler(args)
