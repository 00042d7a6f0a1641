"""Text normalisation shared by every stage: folding, tokens, sentences.

The gazetteer and the report text must be folded the same way, or a name
written "Kupi'ansk", "KUPIANSK" or "Куп’янськ" would never meet its entry.
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, repeat
from typing import NamedTuple

APOSTROPHES = "'’ʼ`´‘′"
_APOSTROPHE_RE = re.compile(f"[{APOSTROPHES}]")
# The apostrophes that join two words' letters; ʼ (U+02BC) is itself a letter, so a word may contain it unsplit.
_JOINING_APOSTROPHE_RE = re.compile(f"[{''.join(a for a in APOSTROPHES if not a.isalnum())}]")
# A word: letters, optionally joined by inner apostrophes (Куп'янськ, d'Izium); one group, so split() returns
# [gap, word, gap, ..., gap], built in C.  Possessive quantifiers (++, *+): no backtracking state kept, a little faster.
WORD_RE = re.compile(rf"([^\W\d_]++(?:[{APOSTROPHES}][^\W\d_]++)*+)")


def _bmp_letters() -> str:
    r"""A character class of the letters below U+10000, spelled out as ranges: exactly the characters that
    [^\W\d_] matches there (re's \w is str.isalnum() or "_", its \d is str.isdecimal())."""
    ranges, start = [], None
    for code in range(0x10001):
        letter = code < 0x10000 and (char := chr(code)).isalnum() and not char.isdecimal() and char != "_"
        if letter and start is None:
            start = code
        elif not letter and start is not None:
            ranges.append(re.escape(chr(start)) + ("-" + re.escape(chr(code - 1)) if code - 1 > start else ""))
            start = None
    return f"[{''.join(ranges)}]"


# WORD_RE for texts without characters beyond U+FFFF (nearly all): re tests a spelled-out class of BMP characters
# with one bitmap look-up per character instead of three Unicode category tests, so the split takes about a
# third less time.  (A class that also held the letters beyond U+FFFF would be tested range by range: far slower.)
_BMP_LETTER = _bmp_letters()
_BMP_WORD_RE = re.compile(rf"({_BMP_LETTER}++(?:[{APOSTROPHES}]{_BMP_LETTER}++)*+)")
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


class WordColumns(NamedTuple):
    """The tokens of a text as four parallel lists: token i is (words[i], folded[i], starts[i], ends[i]).

    The matcher reads whole columns (which words are capitalised, which are lower case) and only a few
    tokens in full, so it takes these lists rather than one Token per word."""

    words: list[str]
    folded: list[str]
    starts: list[int]
    ends: list[int]


def tokenize(text: str) -> list[Token]:
    """Words with character offsets; French elisions and English possessives split off.

    Tokens are built with map(tuple.__new__, ...) over the columns, in C: Token._make would be a Python call per word."""
    return list(map(tuple.__new__, repeat(Token), zip(*word_columns(text))))


def word_columns(text: str) -> WordColumns:
    """`tokenize` as parallel lists, without making a Token per word.

    Built with map/accumulate over one split(), not a Python loop over match objects: this runs on every word."""
    # [gap, word, gap, word, ..., gap]; a text is all BMP when UTF-16 needs no surrogate pair for it (a quick test)
    bmp = len(text.encode("utf-16-le", "surrogatepass")) == 2 * len(text)
    parts = (_BMP_WORD_RE if bmp else WORD_RE).split(text)
    bounds = list(accumulate(map(len, parts)))  # word i runs from bounds[2i] to bounds[2i + 1]
    words, starts, ends = parts[1::2], bounds[0:-1:2], bounds[1::2]
    # from the end: the indices of earlier words stay valid
    for i in reversed(_words_with_apostrophes(text, starts, ends)):
        pieces = _split_apostrophes(words[i], starts[i])
        words[i:i + 1] = [word for word, _, _ in pieces]
        starts[i:i + 1] = [start for _, start, _ in pieces]
        ends[i:i + 1] = [end for _, _, end in pieces]
    return WordColumns(words, list(map(_FOLDED.__getitem__, words)), starts, ends)


class _FoldedWords(dict):
    """word -> fold(word) for `word_columns`: a hit is a dict lookup done in C by map(), quicker than going
    through the lru_cache wrapper for each of a report's 500 words; a new word is folded once."""

    def __missing__(self, word: str) -> str:
        if len(self) > 262144:
            self.clear()  # bounded memory on an endless stream of new words
        folded = self[word] = fold(word)
        return folded


_FOLDED = _FoldedWords()


def _words_with_apostrophes(text: str, starts: list[int], ends: list[int]) -> list[int]:
    """Indices of the words joined by an apostrophe, found from the few apostrophes in the text
    rather than by looking into every word."""
    found: list[int] = []
    for apostrophe in _JOINING_APOSTROPHE_RE.finditer(text):
        position = apostrophe.start()
        i = bisect.bisect_right(starts, position) - 1
        if i >= 0 and position < ends[i] and (not found or found[-1] != i):  # else a quote mark between words
            found.append(i)
    return found


def _split_apostrophes(word: str, start: int) -> list[tuple[str, int, int]]:
    """d'Izium -> d + Izium; Bakhmut's -> Bakhmut; Куп'янськ stays whole.  (word, start, end) triples."""
    out = []
    parts = _APOSTROPHE_RE.split(word, maxsplit=1)
    if len(parts) == 2 and parts[0].lower() in ELISIONS and parts[1][:1].isalpha() and _is_latin(parts[1]):
        out.append((parts[0], start, start + len(parts[0])))
        offset = len(parts[0]) + 1
        word, start = word[offset:], start + offset
    if len(word) > 2 and word[-1] in "sS" and word[-2] in APOSTROPHES:  # Bakhmut's
        word = word[:-2]
    out.append((word, start, start + len(word)))
    return out


def _is_latin(word: str) -> bool:
    return "LATIN" in unicodedata.name(word[0], "")


def is_cyrillic(word: str) -> bool:
    return "CYRILLIC" in unicodedata.name(word[0], "")


# A sentence break: the space after a full stop (group 1; the stop itself stays with its sentence), a blank line,
# or a line break before a list item.  Matching the stop rather than looking behind for it at every character is faster.
_SENTENCE_END = re.compile(r"[.!?…]([\"»”’)\]]*\s+)|\n\s*\n|\n(?=\s*[-*•#])")
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
        gap = match.start(1) if match.lastindex else match.start()  # where the break begins
        before = text[start:gap].rstrip()
        # searched in the last few characters only: a longer word is no abbreviation, and lower() never shortens one
        last_word = _SHORT_LAST_WORD.search(before, max(0, len(before) - _LONGEST_ABBREVIATION - 1))
        if last_word and last_word.group(1).lower() in _ABBREVIATIONS and "\n" not in text[gap:match.end()]:
            continue
        _append(sentences, text, start, gap)
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
