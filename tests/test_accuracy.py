"""Accuracy regression on the team's evaluation set (tests/data/eval): the numbers must not slide back.

bench/accuracy.py prints the full table with the peers; this test only guards the floor.
"""
from pathlib import Path

import pytest

from bench.score import by_language, load_gold, score_report
from geo.reports import read_report_file

EVAL = Path(__file__).resolve().parent / "data" / "eval"
TOPONYM_F1_FLOOR = 0.94  # per main language; measured 0.951-0.976
STATUS_MACRO_F1_FLOOR = 0.84  # overall; measured 0.87


@pytest.fixture(scope="module")
def tallies(extractor):
    results = []
    for gold in load_gold(sorted(EVAL.glob("gold*.jsonl"))):
        report = read_report_file(EVAL / "reports" / gold["report"])[0]
        predicted = [event.to_record() for event in extractor.extract(report)[0]]
        results.append((gold["language"], score_report(gold["places"], predicted)[0]))
    return by_language(results)


def test_the_set_is_what_the_readme_says(tallies):
    for language in ("en", "fr", "uk", "ru"):
        assert tallies[language].reports >= 15
    assert tallies["all"].reports >= 80


@pytest.mark.parametrize("language", ["en", "fr", "uk", "ru"])
def test_toponym_f1_per_language(tallies, language):
    assert tallies[language].f1 >= TOPONYM_F1_FLOOR, f"{language}: F1 {tallies[language].f1:.3f}"


def test_status_macro_f1_overall(tallies):
    assert tallies["all"].status_macro_f1 >= STATUS_MACRO_F1_FLOOR


def test_places_land_where_they_are(tallies):
    assert tallies["all"].within_5km >= 0.95
