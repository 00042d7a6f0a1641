"""The store (SQLite file and PostgreSQL server): idempotent, atomic ingest; status as of a date; place histories; filters; the ingest module."""
from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy.exc import IntegrityError

from geo.ingest import ingest_reports, ingest_uploads
from geo.reports import ReportError, make_report
from geo.store import Filters, Store

EMPTY = {"reports": 0, "places": 0, "events": 0}


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    """Every store test runs on the default SQLite file and on a real PostgreSQL server."""
    if request.param == "sqlite":
        db = Store(tmp_path / "control.sqlite")
    else:
        db = Store(request.getfixturevalue("postgres").new_database())
    yield db
    db.close()


def extracted(extractor, text: str, path: str, **fields):
    report = make_report(text, path, **fields)
    events, _ = extractor.extract(report)
    return report, events


def put(store, extractor, text: str, path: str, **fields):
    report, events = extracted(extractor, text, path, **fields)
    assert store.ingest(report, events) is True
    return report, events


def place_id(store, name: str) -> str:
    ids = {s.place_id for s in store.latest_status() if s.name == name}
    assert len(ids) == 1, ids
    return ids.pop()


def test_ingest_is_idempotent(store, extractor, tmp_path):
    report, events = extracted(extractor, "Ukrainian forces retook Kupiansk and Balakliia.", "a.txt", date="2022-09-10")
    assert len(events) == 2
    assert store.ingest(report, events) is True
    after_first = store.counts()
    assert after_first == {"reports": 1, "places": 2, "events": 2}
    assert store.ingest(report, events) is False
    assert store.counts() == after_first
    # The same text under another name is the same report.
    again, again_events = extracted(extractor, "Ukrainian forces retook Kupiansk and Balakliia.\n", "copy/b.txt")
    assert store.ingest(again, again_events) is False
    # ... and a new Store on the same file knows it too.
    reopened = Store(store.url)
    try:
        assert reopened.ingest(report, events) is False
        assert reopened.counts() == after_first
    finally:
        reopened.close()


def test_a_place_shared_by_two_reports_is_stored_once(store, extractor):
    put(store, extractor, "Russian troops captured Kupiansk.", "a.txt", date="2022-03-01")
    put(store, extractor, "Ukrainian forces retook Kupiansk.", "b.txt", date="2022-09-10")
    assert store.counts() == {"reports": 2, "places": 1, "events": 2}


def test_ingest_is_atomic_when_a_place_is_invalid(store, extractor):
    report, events = extracted(extractor, "Ukrainian forces retook Kupiansk and Balakliia.", "a.txt", date="2022-09-10")
    broken = [events[0], replace(events[1], place=replace(events[1].place, name=None))]  # places.name is NOT NULL
    with pytest.raises(IntegrityError):
        store.ingest(report, broken)
    assert store.counts() == EMPTY, "neither the report nor its first, valid event stayed"
    assert not store.has_report(report.report_id)
    assert store.ingest(report, events) is True, "the report can still go in once it is fixed"
    assert store.counts() == {"reports": 1, "places": 2, "events": 2}


def test_ingest_is_atomic_when_an_event_is_duplicated(store, extractor):
    report, events = extracted(extractor, "Russian troops captured Soledar.", "a.txt", date="2023-01-13")
    with pytest.raises(IntegrityError):
        store.ingest(report, [events[0], events[0]])  # one (report, place) pair twice
    assert store.counts() == EMPTY


def test_latest_status_as_of_a_date(store, extractor):
    put(store, extractor, "Russian troops captured Kupiansk.", "a.txt", date="2022-03-01")
    _, (retaken,) = put(store, extractor, "Ukrainian forces retook Kupiansk.", "b.txt", date="2022-09-10")
    put(store, extractor, "Kupiansk is a railway hub on the Oskil.", "c.txt", date="2022-10-01")

    def as_of(end):
        (status,) = store.latest_status(Filters(end=end))
        return status

    before = as_of("2022-09-09")
    assert (before.name, before.status, before.since, before.reports) == ("Kupiansk", "russia", "2022-03-01", 1)
    after = as_of("2022-09-10")
    assert (after.status, after.since, after.reports) == ("ukraine", "2022-09-10", 2)
    assert after.change == retaken.change and after.change
    later = as_of(None)
    assert later.status == "ukraine", "a later bare mention does not erase the status"
    assert later.since == "2022-09-10"
    assert later.last_report_date == "2022-10-01" and later.reports == 3
    assert store.latest_status(Filters(end="2022-02-28")) == []


def test_since_is_the_first_report_of_an_unbroken_run(store, extractor):
    put(store, extractor, "Russian troops captured Kupiansk.", "a.txt", date="2022-03-01")
    put(store, extractor, "Ukrainian forces retook Kupiansk.", "b.txt", date="2022-09-10")
    put(store, extractor, "Ukrainian forces held Kupiansk against a Russian assault.", "c.txt", date="2022-11-01")
    (status,) = store.latest_status()
    assert status.status == "ukraine" and status.since == "2022-09-10"


def test_an_undated_report_does_not_override_dated_ones(store, extractor):
    put(store, extractor, "Ukrainian forces retook Kupiansk.", "b.txt", date="2022-09-10")
    put(store, extractor, "Russian troops captured Kupiansk.", "undated.txt")
    (status,) = store.latest_status()
    assert status.status == "ukraine"
    assert status.last_report_date == "2022-09-10"
    history = store.place_history(status.place_id)
    assert [e.report_date for e in history] == ["2022-09-10", None]
    # A place known only from undated reports still gets their status.
    put(store, extractor, "Russian troops captured Soledar.", "undated2.txt")
    assert {s.name: s.status for s in store.latest_status()}["Soledar"] == "russia"


def test_month_dates_sort_with_day_dates(store, extractor):
    put(store, extractor, "Russian troops captured Kupiansk.", "a.txt", date="2022-03-15")
    put(store, extractor, "Ukrainian forces retook Kupiansk.", "b.txt", date="2022-09")
    assert [s.status for s in store.latest_status(Filters(end="2022-08-31"))] == ["russia"]
    assert [s.status for s in store.latest_status(Filters(end="2022-09-01"))] == ["ukraine"]


def test_place_history_newest_first_with_highlighted_excerpts(store, extractor):
    put(store, extractor, "Russian troops captured Kupiansk. The bridge over the Oskil was blown.", "a.txt",
        date="2022-03-01")
    put(store, extractor, "Heavy rain. ЗСУ звільнили Куп'янськ. Residents of Kupiansk celebrated.", "b.txt",
        date="2022-09-10")
    put(store, extractor, "Kupiansk is a railway hub.", "c.txt", date="2022-10-01")
    history = store.place_history(place_id(store, "Kupiansk"))
    assert [e.report_date for e in history] == ["2022-10-01", "2022-09-10", "2022-03-01"]
    assert [e.status for e in history] == ["mentioned", "ukraine", "russia"]
    middle = history[1]
    assert [x.text for x in middle.excerpts] == ["ЗСУ звільнили Куп'янськ.", "Residents of Kupiansk celebrated."]
    for event in history:
        assert event.excerpts
        for excerpt in event.excerpts:
            assert excerpt.highlights
            for start, end in excerpt.highlights:
                assert excerpt.text[start:end] in ("Kupiansk", "Куп'янськ")
    assert [x.text for x in middle.evidence] == ["ЗСУ звільнили Куп'янськ."]


def test_filters_by_language_source_and_dates(store, extractor):
    put(store, extractor, "Russian forces withdrew from Kherson, officials said.", "en.txt", date="2022-11-11",
        source="Reuters", language="en")
    put(store, extractor, "Les troupes russes ont quitté Kherson.", "fr.txt", date="2022-11-12", source="AFP")
    put(store, extractor, "Российские войска захватили Херсон.", "ru.txt", date="2022-03-02", source="ТАСС")
    kherson = place_id(store, "Kherson")
    assert [e.language for e in store.place_history(kherson, Filters(languages=("fr",)))] == ["fr"]
    assert [e.source for e in store.place_history(kherson, Filters(sources=("Reuters", "ТАСС")))] == ["Reuters", "ТАСС"]
    assert [e.source for e in store.events(Filters(start="2022-11-01"))] == ["Reuters", "AFP"]
    assert [s.status for s in store.latest_status(Filters(languages=("ru",)))] == ["russia"]
    assert [s.status for s in store.latest_status(Filters(sources=("AFP",)))] == ["ukraine"]
    assert store.latest_status(Filters(statuses=("contested",))) == []
    assert [s.name for s in store.latest_status(Filters(statuses=("ukraine",)))] == ["Kherson"]
    facets = store.facets()
    assert facets["languages"] == ["en", "fr", "ru"]
    assert facets["sources"] == ["AFP", "Reuters", "ТАСС"]
    assert facets["dates"] == ["2022-03-02", "2022-11-12"]


def test_ingest_reports_reports_bad_items_and_goes_on(store, extractor):
    good, _ = extracted(extractor, "Russian troops captured Soledar.", "good.txt", date="2023-01-13")
    items = [ReportError("broken.json", "malformed JSON (line 1: Expecting value)"), good,
             make_report("Ukrainian forces retook Kupiansk.", "second.txt", date="2022-09-10")]
    outcomes = ingest_reports(items, store, extractor)
    assert [(o.name, o.ok, o.added, o.events) for o in outcomes] == [
        ("broken.json", False, False, 0), ("good.txt", True, True, 1), ("second.txt", True, True, 1)]
    assert outcomes[0].error.startswith("malformed JSON")
    again = ingest_reports([good], store, extractor)
    assert [(o.ok, o.added, o.events) for o in again] == [(True, False, 0)]
    assert store.counts() == {"reports": 2, "places": 2, "events": 2}


def test_ingest_uploads_any_format_and_encoding(store, extractor):
    files = [("kupiansk.txt", "date 2022-09-10\nUkrainian forces retook Kupiansk.".encode("utf-16")),
             ("soledar.txt", "date 2023-01-13\nВСУ отошли из Соледара.".encode("cp1251")),
             ("wire.csv", b"date,text\n2023-09-18,\"ZSU liberated Klishchiivka, Ukrainian officials said.\"\n"),
             ("empty.txt", b""),
             ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")]
    outcomes = ingest_uploads(files, store, extractor)
    assert [(o.name, o.ok) for o in outcomes] == [("kupiansk.txt", True), ("soledar.txt", True), ("wire.csv#0", True),
                                                  ("empty.txt", False), ("photo.txt", False)]
    statuses = {s.name: (s.status, s.since) for s in store.latest_status()}
    assert statuses == {"Kupiansk": ("ukraine", "2022-09-10"), "Soledar": ("russia", "2023-01-13"),
                        "Klishchiivka": ("ukraine", "2023-09-18")}
