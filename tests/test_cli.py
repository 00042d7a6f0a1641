"""`python -m geo extract` and `python -m geo ingest` as a user runs them: output contract, errors, exit status."""
from __future__ import annotations

import functools
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from geo.gazetteer import default_gazetteer
from geo.reports import read_report_file
from geo.store import Store

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "reports"
RECORD_KEYS = {"report", "report_date", "place_id", "name", "lat", "lon", "country", "admin1", "status", "change",
               "confidence", "precision", "mentions", "evidence"}
STATUSES = {"ukraine", "russia", "contested", "mentioned"}


def geo(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "geo", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=timeout)


def records_of(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


@functools.lru_cache(maxsize=None)
def report_text(report_path: str) -> str:
    """The text the offsets refer to: the report as loaded (date header removed, markup stripped, row #n)."""
    path, _, row = report_path.partition("#")
    return read_report_file(path)[int(row or 0)].text


def check_record(record: dict) -> None:
    """The documented JSONL shape, with offsets that point into the report's text."""
    assert RECORD_KEYS <= set(record), RECORD_KEYS - set(record)
    assert record["status"] in STATUSES
    assert isinstance(record["lat"], float) and isinstance(record["lon"], float)
    place = default_gazetteer().places[record["place_id"]]
    assert (record["lat"], record["lon"], record["name"]) == (place.lat, place.lon, place.name)
    assert 0 < record["confidence"] <= 1
    assert record["precision"] in ("exact", "approximate")
    assert record["mentions"] and record["evidence"]
    text = report_text(record["report"])
    for mention in record["mentions"]:
        assert set(mention) == {"surface", "start", "end"}
        assert text[mention["start"]:mention["end"]] == mention["surface"]
    for evidence in record["evidence"]:
        assert set(evidence) == {"text", "start", "end"}
        assert text[evidence["start"]:evidence["end"]] == evidence["text"]
    if record["status"] != "mentioned":
        assert any(e["start"] <= m["start"] < e["end"] for e in record["evidence"] for m in record["mentions"]), \
            "a status comes with a sentence that names the place"


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("batch")
    files = {
        "empty": ("empty.txt", b""),
        "binary": ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + random.Random(5).randbytes(2048)),
        "cp1251": ("soledar_cp1251.txt", "date 2023-01-13\nВС РФ штурмуют Угледар. ВСУ отошли из Соледара.".encode("cp1251")),
        "utf16": ("avdiivka_utf16.txt", "date 2023-10-14\nЗСУ звільнили Кліщіївку. Окупанти захопили Авдіївку.".encode("utf-16")),
        "undated": ("undated.txt", b"Ukrainian forces retook Kupiansk, officials said."),
        "malformed": ("wire.json", b'[{"text": "Russian troops captured Soledar.", '),
        "rows": ("wire.csv", "date,source,text\n2022-09-16,Reuters,\"Les troupes russes ont quitté Kherson.\"\n"
                             "2022-09-17,AFP,\"Fighting continues on the outskirts of Bakhmut.\"\n".encode()),
    }
    paths = {}
    for key, (name, data) in files.items():
        paths[key] = folder / name
        paths[key].write_bytes(data)
    return paths


@pytest.fixture(scope="module")
def mixed_run(batch) -> subprocess.CompletedProcess:
    return geo("extract", "--format", "jsonl", *(str(p) for p in batch.values()))


def test_extract_output_contract(mixed_run):
    records = records_of(mixed_run.stdout)
    assert records
    for record in records:
        check_record(record)


def test_bad_files_get_one_error_line_each_and_the_good_ones_still_come_out(mixed_run, batch):
    assert mixed_run.returncode == 1
    errors = [line for line in mixed_run.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 3, mixed_run.stderr
    assert f"error: {batch['empty']}: empty file" in errors
    assert f"error: {batch['binary']}: binary data, not a text report" in errors
    assert any(e.startswith(f"error: {batch['malformed']}: malformed JSON (line 1") for e in errors), errors
    assert "Traceback" not in mixed_run.stderr
    got = {(Path(r["report"]).name, r["name"]): (r["status"], r["report_date"]) for r in records_of(mixed_run.stdout)}
    assert got == {
        ("soledar_cp1251.txt", "Vuhledar"): ("contested", "2023-01-13"),
        ("soledar_cp1251.txt", "Soledar"): ("russia", "2023-01-13"),
        ("avdiivka_utf16.txt", "Klishchiivka"): ("ukraine", "2023-10-14"),
        ("avdiivka_utf16.txt", "Avdiivka"): ("russia", "2023-10-14"),
        ("undated.txt", "Kupiansk"): ("ukraine", None),
        ("wire.csv#0", "Kherson"): ("ukraine", "2022-09-16"),
        ("wire.csv#1", "Bakhmut"): ("contested", "2022-09-17"),
    }


def test_an_undated_file_is_a_warning_not_an_error(mixed_run, batch):
    assert f"warning: {batch['undated']}: no date found; report_date is null" in mixed_run.stderr.splitlines()


def test_all_good_files_exit_zero(batch):
    """The bundled sample reports (text, Markdown, HTML, CSV, JSON in four languages) plus other encodings."""
    run = geo("extract", "--format", "jsonl", str(SAMPLES), str(batch["cp1251"]), str(batch["utf16"]))
    assert run.returncode == 0, run.stderr
    assert "error:" not in run.stderr
    records = records_of(run.stdout)
    reports = {r["report"] for r in records}
    assert len(reports) >= 17 and str(batch["cp1251"]) in reports and str(batch["utf16"]) in reports
    assert {r["status"] for r in records} == STATUSES
    for record in records:
        check_record(record)


def test_ingest_then_ingest_again_adds_nothing(tmp_path):
    db = tmp_path / "tmp.sqlite"
    first = geo("ingest", "--db", str(db), str(SAMPLES))
    assert first.returncode == 0, first.stderr
    store = Store(db)
    try:
        counts = store.counts()
        assert counts["reports"] >= 15 and counts["events"] > counts["reports"]
        assert f"ingested {counts['reports']} report(s) with {counts['events']} event(s)" in first.stderr
        second = geo("ingest", "--db", str(db), str(SAMPLES))
        assert second.returncode == 0, second.stderr
        assert "ingested 0 report(s)" in second.stderr and f"{counts['reports']} already stored" in second.stderr
        assert store.counts() == counts
    finally:
        store.close()


def test_ingest_with_a_bad_file_stores_the_rest_and_exits_one(tmp_path, batch):
    db = tmp_path / "tmp.sqlite"
    run = geo("ingest", "--db", str(db), str(batch["empty"]), str(batch["utf16"]))
    assert run.returncode == 1
    assert f"error: {batch['empty']}: empty file" in run.stderr.splitlines()
    store = Store(db)
    try:
        assert store.counts()["reports"] == 1
    finally:
        store.close()
