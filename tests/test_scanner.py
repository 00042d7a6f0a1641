"""The scanners' fast paths (prefilter on the lowered text, unions by first letters, one pass for several
scanners) find exactly what their plain path finds: the prefilter on the text itself and each first
letter's whole union, the way a text that can't be lowered offset for offset ("İ") is scanned."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from geo import scanner
from geo.control import load_lexicon
from geo.normalize import split_sentences
from geo.reports import ReportError, load_reports

ROOT = Path(__file__).resolve().parent.parent
ODD = ["İ", "ı", "ſ", "K", "ẞ", "ς", "Σ", "😀", "𝐀", "𐐀", "_", "7", "\n", "«"]


def _texts() -> list[str]:
    texts = []
    for item in load_reports([ROOT / "data" / "reports"]):
        if not isinstance(item, ReportError):
            texts += [s.text for s in split_sentences(item.text)]
            # the 60 characters before each capitalised word, as mention_role asks about them
            texts += [item.text[max(0, m.start() - 60):m.start()] for m in re.finditer(r"(?<=\s)[A-ZА-ЯІЇЄ]", item.text)]
    texts += [text.upper() for text in texts[:200]] + [text[7:70] for text in texts[:200]]
    texts += [odd + text.replace(" ", " " + odd, 2) for text in texts[:100] for odd in ODD]
    return texts


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


@pytest.fixture(scope="module")
def texts():
    return _texts()


def _plain(monkeypatch, call):
    """`call()` with every text scanned the plain way."""
    monkeypatch.setattr(scanner, "_lowered", lambda text, lowered=None: None)
    try:
        return call()
    finally:
        monkeypatch.undo()


@pytest.mark.parametrize("name", ["effect_cues", "any_actor", "negation", "claim", "reference_scanner"])
def test_pattern_scanner_fast_path_finds_what_the_plain_path_finds(lexicon, texts, monkeypatch, name):
    found = getattr(lexicon, name)
    fast = [list(found.finditer(text)) for text in texts]
    assert fast == _plain(monkeypatch, lambda: [list(found.finditer(text)) for text in texts])
    assert any(fast)
    assert [found.first(text) for text in texts] == [next(iter(matches), None) for matches in fast]


@pytest.mark.parametrize("name", ["hypothetical", "past", "months"])
def test_prefiltered_fast_path_finds_what_the_plain_path_finds(lexicon, texts, monkeypatch, name):
    found = getattr(lexicon, name)

    def run():
        return [([(m.span(), m.lastgroup) for m in found.finditer(text)], (lambda m: m and (m.span(), m.lastgroup))(found.search(text)))
                for text in texts]
    fast = run()
    assert fast == _plain(monkeypatch, run)
    assert [found.search(text) is not None for text in texts] == [bool(matches) for matches, _ in fast]
    assert [(m.span(), m.lastgroup) for text in texts for m in found.finditer(text)] == \
        [(m.span(), m.lastgroup) for text in texts for m in found.union.finditer(text)]


def test_scanner_group_finds_what_each_scanner_finds(lexicon, texts):
    scanners = [lexicon.effect_cues, lexicon.any_actor, lexicon.negation, lexicon.claim]
    for text in texts:
        assert lexicon.sentence_scanners.finditer_each(text) == [list(s.finditer(text)) for s in scanners]


def test_prefiltered_group_finds_what_each_union_finds(lexicon, texts):
    for text in texts:
        past, months = lexicon.past_and_months.finditer_each(text)
        assert [m.span() for m in past] == [m.span() for m in lexicon.past.finditer(text)]
        assert [(m.span(), m.lastgroup) for m in months] == [(m.span(), m.lastgroup) for m in lexicon.months.finditer(text)]


@pytest.mark.parametrize("name, scanner_name", [("reference_before", "reference_scanner"), ("metonymy_before_end", None)])
def test_end_anchored_finds_what_the_forward_search_finds(lexicon, texts, name, scanner_name):
    found = getattr(lexicon, name)
    assert found._backwards is not None  # the patterns could be reversed
    endings = texts + [text + end for text in texts[:300] for end in ("\n", " \n", "\n\n", " ")]
    backwards = [found.search(text) for text in endings]
    assert backwards == [found.union.search(text) is not None for text in endings]
    assert any(backwards)
    if scanner_name:
        assert backwards == [getattr(lexicon, scanner_name).first(text) is not None for text in endings]


def test_reversed_patterns():
    assert scanner._reversed_before_end(r"\bof\s*$") == r"(?:[\s]){0,}fo\b"
    assert scanner._reversed_before_end(r"\bof(?=x)$") is None  # lookarounds are not reversed
    assert scanner._reversed_before_end(r"\bof") is None  # no "$" at the end
    assert not scanner.EndAnchored([r"\bto\s*$"]).search("to the")
    assert scanner.EndAnchored([r"\bto\s*$"]).search("go to \n")


def test_word_start_search_finds_what_the_search_finds(lexicon, texts):
    from geo.grammar import MILITARY
    military = lexicon.military
    assert military._gaps is not None  # the prefilter could be built
    windows = [(text, start, min(len(text), end + 30)) for text in texts for word in re.finditer(r"\w+", text)
               for start, end in ((word.start(), word.end()), (word.start() + 1, word.end() + 3))]
    windows += [(text, 0, len(text)) for text in texts] + [(text, 5, 2) for text in texts[:50]]
    found = [military.search(*window) for window in windows]
    assert found == [MILITARY.search(*window) is not None for window in windows]
    assert any(found)


def test_few_starts_are_the_starts(lexicon, texts):
    for starts in (lexicon.past_and_months._starts, lexicon.hypothetical._starts, lexicon.effect_cues._starts,
                   lexicon.sentence_scanners._starts):
        lowered = [text.lower() for text in texts]
        assert [starts.few(text) for text in lowered] == [starts(text) for text in lowered]
