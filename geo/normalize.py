"""Text normalisation shared by every stage: folding, tokens, sentences.

The gazetteer and the report text must be folded the same way, or a name
written "Kupi'ansk", "KUPIANSK" or "Куп’янськ" would never meet its entry.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, chain
from typing import NamedTuple

APOSTROPHES = "'’ʼ`´‘′"
_APOSTROPHE_RE = re.compile(f"[{APOSTROPHES}]")
# A word: letters, optionally joined by inner apostrophes (Куп'янськ, d'Izium).
# Group 1: the word, group 2: an inner apostrophe; split() returns [gap, word, apostrophe, gap, ..., gap], built in C.
WORD_RE = re.compile(rf"([^\W\d_]+(?:([{APOSTROPHES}])[^\W\d_]+)*)")
# French elided articles and prepositions glued to the next word.
ELISIONS = ("l", "d", "qu", "jusqu", "lorsqu", "puisqu", "s", "n", "c", "j", "m", "t")


@lru_cache(maxsize=262144)
def fold(text: str) -> str:
    """Lower-case, drop diacritics and apostrophes, unify ё/е: the matching key of a word (cached: words repeat)."""
    text = _APOSTROPHE_RE.sub("", text.lower())
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped).replace("ё", "е")


class Token(NamedTuple):
    """A word and its offsets (a tuple: millions are made, and tuples are cheap)."""

    text: str  # as written (after elision split)
    folded: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """Words with character offsets; French elisions and English possessives split off.

    Built with map/zip over one split(), not a Python loop over match objects: this runs on every word."""
    parts = WORD_RE.split(text)
    gaps, words, apostrophes = parts[0::3], parts[1::3], parts[2::3]
    offsets = list(accumulate(map(len, chain.from_iterable(zip(gaps, words)))))  # word i: offsets[2i] to offsets[2i+1]
    tokens = list(map(Token._make, zip(words, map(fold, words), offsets[0::2], offsets[1::2])))
    for i in reversed([i for i, apostrophe in enumerate(apostrophes) if apostrophe is not None]):
        tokens[i:i + 1] = _split_apostrophes(words[i], offsets[2 * i])  # from the end: earlier indices stay valid
    return tokens


def _split_apostrophes(word: str, start: int) -> list[Token]:
    """d'Izium -> d + Izium; Bakhmut's -> Bakhmut; Куп'янськ stays whole."""
    out = []
    parts = _APOSTROPHE_RE.split(word, maxsplit=1)
    if len(parts) == 2 and parts[0].lower() in ELISIONS and parts[1][:1].isalpha() and _is_latin(parts[1]):
        out.append(Token(parts[0], fold(parts[0]), start, start + len(parts[0])))
        offset = len(parts[0]) + 1
        word, start = word[offset:], start + offset
    if len(word) > 2 and word[-1] in "sS" and word[-2] in APOSTROPHES:  # Bakhmut's
        word = word[:-2]
    out.append(Token(word, fold(word), start, start + len(word)))
    return out


def _is_latin(word: str) -> bool:
    return "LATIN" in unicodedata.name(word[0], "")


def is_cyrillic(word: str) -> bool:
    return "CYRILLIC" in unicodedata.name(word[0], "")


_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"»”’)\]]*\s+|\n\s*\n|\n(?=\s*[-*•#])")
_ABBREVIATIONS = {"km", "mr", "mrs", "dr", "st", "gen", "col", "lt", "sgt", "m", "mm", "p", "no", "vs", "etc",
                  "ім", "м", "с", "смт", "р", "г", "им", "пос", "обл", "ген", "e", "i", "u", "s", "a"}
_LONGEST_ABBREVIATION = max(map(len, _ABBREVIATIONS))
# A whole short word right before a final full stop: only it can be an abbreviation ("km.", "ген.").
_SHORT_LAST_WORD = re.compile(rf"(?<!\w)(\w{{1,{_LONGEST_ABBREVIATION}}})\.$")


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    end: int


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with offsets; blank lines and list items also end a sentence."""
    sentences: list[Sentence] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        before = text[start:match.start()].rstrip()
        # searched in the last few characters only: a longer word is no abbreviation, and lower() never shortens one
        last_word = _SHORT_LAST_WORD.search(before, max(0, len(before) - _LONGEST_ABBREVIATION - 1))
        if last_word and last_word.group(1).lower() in _ABBREVIATIONS and "\n" not in match.group():
            continue
        _append(sentences, text, start, match.start())
        start = match.end()
    _append(sentences, text, start, len(text))
    return sentences


MAX_SENTENCE = 1000  # characters; a longer run without a full stop (a table, a scraped page) is cut at spaces


def _append(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    while end - start > MAX_SENTENCE:  # keeps the work per sentence bounded: rules compare every cue with every name
        cut = text.rfind(" ", start + MAX_SENTENCE // 2, start + MAX_SENTENCE)
        cut = cut if cut > start else start + MAX_SENTENCE
        _append(sentences, text, start, cut)
        start = cut
    chunk = text[start:end]
    stripped_left = len(chunk) - len(chunk.lstrip())
    chunk = chunk.strip()
    if chunk:
        begin = start + stripped_left
        sentences.append(Sentence(chunk, begin, begin + len(chunk)))
