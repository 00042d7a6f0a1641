"""Folding, tokens and sentences: the shared text layer every stage relies on."""
from __future__ import annotations

from geo.normalize import MAX_SENTENCE, fold, split_sentences, tokenize


def test_folding_makes_spellings_meet():
    assert fold("Kupi’ansk") == fold("KUPIANSK") == "kupiansk"
    assert fold("Куп’янськ") == fold("Куп'янськ")
    assert fold("Артёмовск") == "артемовск"


def test_elisions_and_possessives_split_off():
    assert [t.text for t in tokenize("d'Izium et l’Oskil, Bakhmut's defenders")] == [
        "d", "Izium", "et", "l", "Oskil", "Bakhmut", "defenders"]


def test_sentences_keep_their_offsets_and_skip_abbreviations():
    text = "Russian forces took Soledar. Gen. Syrskyi disagreed.\n\n- Bakhmut: fighting"
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == ["Russian forces took Soledar.", "Gen. Syrskyi disagreed.", "- Bakhmut: fighting"]
    assert all(text[s.start:s.end] == s.text for s in sentences)


def test_a_run_on_text_is_cut_into_bounded_pieces_and_nothing_is_lost():
    text = " ".join(["Russian forces shelled Kupiansk and Izium"] * 2000)  # 84,000 characters, no full stop
    pieces = split_sentences(text)
    assert len(pieces) > 80
    assert all(len(p.text) <= MAX_SENTENCE for p in pieces)
    assert all(text[p.start:p.end] == p.text for p in pieces)
    assert " ".join(p.text for p in pieces) == text


def test_bmp_word_split_is_the_category_split() -> None:
    """word_columns' spelled-out BMP letter class splits exactly as WORD_RE; texts beyond the BMP take WORD_RE."""
    import re

    from geo.normalize import _BMP_LETTER, _BMP_WORD_RE, WORD_RE, word_columns

    letters = re.compile(r"[^\W\d_]")
    bmp = re.compile(_BMP_LETTER)
    for code in range(0x10000):
        char = chr(code)
        assert bool(bmp.fullmatch(char)) == bool(letters.fullmatch(char)), hex(code)
    every = "".join(chr(code) for code in range(0x10000) if not 0xD800 <= code < 0xE000)
    assert _BMP_WORD_RE.split(every) == WORD_RE.split(every)
    assert word_columns("a\U0001d400b Київ").words == ["a\U0001d400b", "Київ"]  # an astral letter inside a word
    assert word_columns("x \ud800y").words == ["x", "y"]  # a lone surrogate is no letter
