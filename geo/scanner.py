"""Many named regular expressions over one text, fast.

A plain union of a few hundred cue patterns makes Python's `re` try every
alternative at every position.  Almost all cues start at a word ("\\bretook",
"\\bзвільн\\w*"), so `PatternScanner` tries, at each word start, only the
patterns that can begin with that word's first two letters: a small dispatch
table built once, like the first-token index of a phrase matcher.  Which word
starts deserve that look is decided in C by one prefilter regex of the
patterns' first letters (up to PREFIX_LENGTH, through runs like "\\s+"), run
on the lowered text so that each of its tests is one comparison; most words
cost no Python at all.  That prefilter is most of the remaining cost, so
`ScannerGroup` and `PrefilteredGroup` share one run of it among the scanners
asked about the same text.

Every shortcut only leaves out starts or patterns that can't match there, so
the matches are those of the patterns tried at every word start; texts that
lowering would shift ("İ") take the same path on the text itself.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache
from typing import NamedTuple

try:  # the parser behind `re`; used once per pattern to learn which letters it can start with
    from re import _constants as _C
    from re import _parser as _P
except ImportError:  # pragma: no cover - other Pythons: every pattern is tried at every word
    _C = _P = None

_WORD_START = re.compile(r"\b\w")
_START = re.Match.start
PREFIX_LENGTH = 8  # characters of each pattern's start that the prefilter checks
_CATEGORIES = {"CATEGORY_SPACE": r"\s", "CATEGORY_NOT_SPACE": r"\S", "CATEGORY_WORD": r"\w",
               "CATEGORY_NOT_WORD": r"\W", "CATEGORY_DIGIT": r"\d", "CATEGORY_NOT_DIGIT": r"\D"}


def _first_letters(pattern: str) -> set[str] | None:
    """Lower-case letters a match can begin with, or None when that can't be told."""
    if _P is None:
        return None
    try:
        return _first(list(_P.parse(pattern, 0)))
    except Exception:
        return None


def _first(items: list) -> set[str] | None:
    found: set[str] = set()
    for op, arg in items:
        if op is _C.AT:
            continue
        if op is _C.LITERAL:
            return found | {chr(arg).lower()}
        if op is _C.IN:
            for kind, value in arg:
                if kind is _C.LITERAL:
                    found.add(chr(value).lower())
                elif kind is _C.RANGE and value[1] - value[0] <= 200:
                    found |= {chr(c).lower() for c in range(value[0], value[1] + 1)}
                else:
                    return None
            return found
        if op is _C.SUBPATTERN:
            inner = _first(list(arg[-1]))
            return None if inner is None else found | inner
        if op is _C.BRANCH:
            for branch in arg[1]:
                inner = _first(list(branch))
                if inner is None:
                    return None
                found |= inner
            return found
        if op in (_C.MAX_REPEAT, _C.MIN_REPEAT):
            low, _, sub = arg
            inner = _first(list(sub))
            if inner is None:
                return None
            found |= inner
            if low > 0:
                return found
            continue
        return None
    return None


class _Run(NamedTuple):
    """A run of `low` to `high` characters of one class inside a prefix ("\\s+", "\\w*"): the prefix goes on after
    it, so "russian\\s+(?:flag|tricolour)" is told from "Russian forces" in C, not by trying the pattern."""

    chars: frozenset[str]
    low: int
    high: int


# A pattern's start as classes of characters: a class is a set of literal characters and escapes like "\\s"
# (or a _Run of them); a prefix opening with _BOUNDARY can only match at a word boundary.
Prefix = tuple["frozenset[str] | _Run", ...]
_BOUNDARY = frozenset({r"\b"})
_ANY = frozenset({r"\s", r"\S"})


@cache  # each pattern is asked about more than once while a scanner is built
def _prefixes(pattern: str) -> list[Prefix] | None:
    """Every start (up to PREFIX_LENGTH characters) a match can have; None when that can't be told.

    Lookarounds and anchors are skipped and a repeat ends the prefix: leaving out a condition only admits
    more starts, so the prefixes never miss a match."""
    if _P is None:
        return None
    try:
        found = _walk(list(_P.parse(pattern, 0)), (), lambda prefix: [prefix])
    except Exception:
        return None
    if any(prefix in ((), (_BOUNDARY,)) for prefix in found):
        return None  # may match the empty string
    return found


def _walk(items: list, prefix: Prefix, then: Callable[[Prefix], list[Prefix]]) -> list[Prefix]:
    """The prefixes of `items` followed by whatever `then` adds."""
    for index, (op, arg) in enumerate(items):
        if len(prefix) - (prefix[:1] == (_BOUNDARY,)) >= PREFIX_LENGTH:
            return [prefix]

        def rest(longer: Prefix, tail: list = items[index + 1:]) -> list[Prefix]:
            return _walk(tail, longer, then)

        if op is _C.AT and arg is _C.AT_BOUNDARY and not prefix:
            prefix = (_BOUNDARY,)
        elif op in (_C.AT, _C.ASSERT, _C.ASSERT_NOT):
            continue
        elif op is _C.LITERAL:
            prefix += (frozenset(chr(arg)),)
        elif op is _C.IN:
            chars = _char_class(arg)
            if chars is None:
                return [prefix]
            prefix += (chars,)
        elif op is _C.ANY:  # "s.emparer": any character but a newline; [\s\S] admits a little more, which is safe
            prefix += (_ANY,)
        elif op is _C.SUBPATTERN:
            return _walk(list(arg[-1]), prefix, rest)
        elif op is _C.BRANCH:
            return [found for branch in arg[1] for found in _walk(list(branch), prefix, rest)]
        elif op in (_C.MAX_REPEAT, _C.MIN_REPEAT) and arg[1] != 1 and prefix not in ((), (_BOUNDARY,)) \
                and _single_class(list(arg[2])) is not None:
            prefix += (_Run(_single_class(list(arg[2])), arg[0], arg[1]),)
        elif op in (_C.MAX_REPEAT, _C.MIN_REPEAT):
            low, high, sub = arg
            once = _walk(list(sub), prefix, rest if high == 1 else lambda longer: [longer])
            return once + (rest(prefix) if low == 0 else [])
        else:
            return [prefix]
    return then(prefix)


def _single_class(items: list) -> frozenset[str] | None:
    """The class of a sub-pattern that is one character ("\\s", "[ée]"), else None."""
    if len(items) != 1:
        return None
    op, arg = items[0]
    if op is _C.LITERAL:
        return frozenset(chr(arg))
    if op is _C.IN:
        return _char_class(arg)
    return _ANY if op is _C.ANY else None


def _chars(element: frozenset[str] | _Run) -> frozenset[str]:
    return element.chars if isinstance(element, _Run) else element


def _char_class(items: list) -> frozenset[str] | None:
    chars: set[str] = set()
    for kind, value in items:
        if kind is _C.LITERAL:
            chars.add(chr(value))
        elif kind is _C.RANGE and value[1] - value[0] <= 200:
            chars |= {chr(c) for c in range(value[0], value[1] + 1)}
        elif kind is _C.CATEGORY and str(value) in _CATEGORIES:
            chars.add(_CATEGORIES[str(value)])
        else:
            return None
    return frozenset(chars)


class _Starts:
    """Where, found in C, one of some patterns could begin: every start of their matches, and a few more.

    With `lowered`, it looks in `text.lower()` (see `_lowered`): every letter then has one form, so each test of
    the prefilter is one comparison instead of a look through "[Aa]"; that makes it about a third faster."""

    def __init__(self, prefixes: list[Prefix], lowered: bool = False):
        at_words = all(prefix[0] == _BOUNDARY for prefix in prefixes)
        prefixes = [prefix[1:] if prefix[0] == _BOUNDARY else prefix for prefix in prefixes]
        forms = _case_forms({ch for prefix in prefixes for element in prefix for ch in _chars(element) if len(ch) == 1})
        if lowered:
            forms = {ch: _lower_forms(form) for ch, form in forms.items()}
        rests: dict[str, set[Prefix]] = {}  # by first character (each case form) or first escape ("\\d")
        for prefix in prefixes:
            for first in prefix[0]:
                for form in forms[first] if len(first) == 1 else (first,):
                    rests.setdefault(form, set()).add(prefix[1:])
        # Every branch opens with one literal character, each case form spelled out, so that `re` skips
        # a failing branch after one comparison (and, if all do, skips ahead to the next such character);
        # the rest of the prefix is a lookahead.
        dispatch = "|".join(f"{form if len(form) > 1 else re.escape(form)}(?={_trie(rest, forms)})"
                            for form, rest in sorted(rests.items()))
        self._anywhere = self._after_gap = None
        if at_words and all(re.fullmatch(r"\w", form) if len(form) == 1 else form in (r"\w", r"\d") for form in rests):
            # Opening on the non-word character before a word lets `re` skip ahead to it with a character set:
            # spelled out (_non_word_set), which `re` tests from a table, where it tests "\W" with several Unicode
            # look-ups per character; as that set admits every character beyond the BMP, the lookbehind at the
            # end (tested only where a prefix stands) makes sure the gap is a non-word character.
            self._after_gap = re.compile(rf"{_non_word_set()}(?:{dispatch})(?<=\W[\s\S])")
        else:
            self._anywhere = re.compile(dispatch)

    @classmethod
    def of(cls, patterns: list[str], lowered: bool = False) -> _Starts | None:
        """None when some pattern's start can't be told."""
        prefixes = [_prefixes(pattern) for pattern in patterns]
        if not prefixes or any(found is None for found in prefixes):
            return None
        return cls([prefix for found in prefixes for prefix in found], lowered)

    def __call__(self, text: str) -> list[int]:
        if self._anywhere is not None:
            return list(map(_START, self._anywhere.finditer(text)))
        # A space put before the text stands for the gap before its first word, and shifts each gap onto the
        # word after it: the gaps' own offsets are then the starts, read off in C (map) without a Python loop.
        return list(map(_START, self._after_gap.finditer(" " + text)))

    def few(self, text: str) -> list[int]:
        """The same as calling it, for texts that mostly hold no start (a clause, a window): one `search` says
        so without making an iterator, a map and a list; else the iterator goes on from the first start, so no
        character is looked at twice."""
        if self._anywhere is not None:
            return self(text)
        text = " " + text
        first = self._after_gap.search(text)
        return list(map(_START, self._after_gap.finditer(text, first.start()))) if first is not None else []


@cache
def _non_word_set() -> str:
    """A character set of the non-word characters of the BMP, and of all characters beyond it."""
    bmp = "".join(map(chr, range(0x10000)))
    codes = [ord(ch) for ch in re.sub(r"\w", "", bmp)] + [0x110000]
    ranges, start = [], codes[0]
    for previous, code in zip(codes, codes[1:]):
        if code != previous + 1:
            ranges.append(re.escape(chr(start)) + ("-" + re.escape(chr(previous)) if previous > start else ""))
            start = code
    return "[" + "".join(ranges) + "\U00010000-\U0010ffff]"


def _trie(prefixes: set[Prefix], forms: dict[str, str]) -> str:
    """Shared starts factored out, so that a failing branch costs one character test."""
    if any(not prefix for prefix in prefixes):
        return ""  # a shorter prefix already admits this position
    by_first: dict[frozenset[str] | _Run, set[Prefix]] = {}
    for prefix in prefixes:
        by_first.setdefault(prefix[0], set()).add(prefix[1:])
    branches = []
    for element, rest in sorted(by_first.items(), key=lambda item: _spelled(item[0], forms)):
        branches.append(_spelled(element, forms) + _trie(rest, forms))
    return branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"


def _spelled(element: frozenset[str] | _Run, forms: dict[str, str]) -> str:
    spelled = "[" + "".join(ch if len(ch) == 2 else re.escape(forms[ch]) for ch in sorted(_chars(element))) + "]"
    if isinstance(element, _Run):
        spelled += f"{{{element.low},{'' if element.high == _C.MAXREPEAT else element.high}}}"
    return spelled


@cache
def _every_cased_plane() -> str:
    return "".join(map(chr, range(0x20000)))  # planes 2-16 hold no cased characters (CJK, tags, private use)


def _lower_forms(forms: str) -> str:
    """The case forms as `str.lower()` writes them ("kKK" -> "k"); "İ" becomes two characters and is left out:
    a text holding it is never lowered (see `_lowered`)."""
    return "".join(sorted({form.lower() for form in forms if len(form.lower()) == 1}))


@cache
def _lowering_keeps_words() -> bool:
    """Does every character that `lower()` changes stay a word character, or stay none?  (True for Python's
    Unicode tables; checked once, since the lowered text must have its word starts where the text has them.)"""
    word = re.compile(r"\w")
    return all(bool(word.match(ch)) == bool(word.match(ch.lower()))
               for ch in _every_cased_plane() if ch.lower() != ch and len(ch.lower()) == 1)


def _lowered(text: str, lowered: str | None = None) -> str | None:
    """`text.lower()` (or `lowered`, the caller's copy of it), offset for offset, or None when lowering would shift
    the offsets ("İ" becomes two characters).

    The prefilter runs on the lowered text: it only decides where the patterns are tried, and a pattern that
    matches (ignoring case) at some offset of the text has its first letters, lowered, at that offset of the
    lowered text, so no start is lost; the patterns themselves still run on the text."""
    if lowered is None:
        lowered = text.lower()
    return lowered if len(lowered) == len(text) else None


@cache
def _char_forms(ch: str) -> str:
    """The character with every character IGNORECASE lets it match ("k": "kKK", Kelvin sign included)."""
    return "".join(sorted(re.findall(re.escape(ch), _every_cased_plane(), re.IGNORECASE)))


def _case_forms(chars: set[str]) -> dict[str, str]:
    return {ch: _char_forms(ch) for ch in chars}


class PatternScanner:
    """`finditer(text)` yields (name, start, end) for every non-overlapping match of the named patterns.

    `finditer(text, text.lower())` saves lowering the text again when several scanners look at it.

    A word start is tried with the patterns that can begin with its first two letters (see `_two_letters`):
    most words that pass the prefilter fail after a handful of patterns, not a hundred."""

    def __init__(self, groups: dict[str, list[str]], flags: int = re.IGNORECASE):
        buckets: dict[str, dict[str, list[str]]] = {}
        known: dict[str, list[str]] = {}  # the word-start patterns whose first letters are known
        everywhere: dict[str, list[str]] = {}
        loose: dict[str, list[str]] = {}
        for name, patterns in groups.items():
            for pattern in patterns:
                if not pattern.startswith("\\b"):
                    loose.setdefault(name, []).append(pattern)
                    continue
                body = pattern[2:]
                letters = _first_letters(body)
                if letters is None:
                    everywhere.setdefault(name, []).append(body)
                else:
                    known.setdefault(name, []).append(body)
                    for letter in letters:
                        buckets.setdefault(letter, {}).setdefault(name, []).append(body)
        order = list(groups)
        # Any subset of the word-start patterns, by group, each group's patterns of known letters first (as a
        # letter's bucket lists them, then those of unknown start), compiled once however many letters ask for it.
        merged = _merge(order, known, everywhere)
        union = _unions(lambda keep: _compile_kept(merged, lambda body: keep("\\b" + body), flags))
        self._everywhere = union(frozenset("\\b" + b for bodies in everywhere.values() for b in bodies))
        self._loose = Prefiltered([p for n in order for p in loose.get(n, [])],
                                  lambda keep: _compile_kept({n: loose[n] for n in order if n in loose}, keep, flags)
                                  ) if loose else None
        self._bodies = list(dict.fromkeys(body for named in (*buckets.values(), everywhere) for bs in named.values() for body in bs))
        self._original_starts: _Starts | None | bool = False  # built on first use: only texts that can't be lowered need it
        # Word starts worth a look, found in C: where some pattern's first few letters stand (all words if unknown).
        self._starts = _Starts.of(["\\b" + body for body in self._bodies], lowered=True) if _lowering_keeps_words() else None

        self._pairs: dict[str, re.Pattern[str]] = {}
        self._firsts: dict[str, re.Pattern[str] | None] = {}
        self._union = union
        self._by_letter: dict[str, frozenset[str]] = {}  # each letter's patterns, for the plain path (compiled if it runs)
        for letter, named in buckets.items():
            patterns = ["\\b" + b for bodies in _merge(order, named, everywhere).values() for b in bodies]
            pairs, self._firsts[letter] = _two_letters(patterns, union)
            self._pairs.update({letter + second: pattern for second, pattern in pairs.items()})
            self._by_letter[letter] = frozenset(patterns)

    def first(self, text: str) -> tuple[str, int, int] | None:
        """What `finditer` yields first, or None: it stops at the first match instead of finding them all."""
        lowered = text.lower()
        found = next(self._chain(text, lowered), None)
        if self._loose is not None:
            loose = self._loose.search(text, lowered)
            if loose is not None and (found is None or (loose.start(), loose.end(), loose.lastgroup) < found):
                found = loose.start(), loose.end(), loose.lastgroup
        return None if found is None else (found[2], found[0], found[1])

    def finditer(self, text: str, lowered: str | None = None) -> Iterator[tuple[str, int, int]]:
        found = list(self._chain(text, lowered))
        if self._loose is not None:
            found += [(m.start(), m.end(), m.lastgroup) for m in self._loose.finditer(text, lowered)]
            found.sort()
        for start, end, name in found:
            yield name, start, end

    def _chain(self, text: str, lowered: str | None) -> Iterator[tuple[int, int, str]]:
        """(start, end, name) of the word-start patterns' matches, none overlapping the one before."""
        lowered = _lowered(text, lowered) if self._starts is not None else None
        busy_until = 0
        if lowered is not None:
            pairs, firsts, everywhere = self._pairs, self._firsts, self._everywhere
            for start in self._starts.few(lowered):  # (a window, in mention_role: mostly none)
                if start < busy_until:
                    continue
                # the patterns for these two letters; for a pair no pattern names, those that admit any second letter
                pattern = pairs.get(lowered[start:start + 2]) or firsts.get(lowered[start], everywhere)
                match = pattern.match(text, start) if pattern is not None else None
                if match:
                    busy_until = match.end()
                    yield start, busy_until, match.lastgroup
        else:
            for start in self._word_starts(text):
                if start < busy_until:
                    continue
                kept = self._by_letter.get(text[start].lower())
                pattern = self._union(kept) if kept is not None else self._everywhere
                match = pattern.match(text, start) if pattern is not None else None
                if match:
                    busy_until = match.end()
                    yield start, busy_until, match.lastgroup

    def _word_starts(self, text: str) -> list[int]:
        """Candidate starts in a text whose lowering shifts offsets ("İ"): rare, so the prefilter is built when needed."""
        if self._original_starts is False:
            self._original_starts = _Starts.of(["\\b" + body for body in self._bodies])
        if self._original_starts is None:
            return [word.start() for word in _WORD_START.finditer(text)]
        return self._original_starts(text)


class ScannerGroup:
    """Several PatternScanners over one text in one pass: `finditer_each(text)` is
    `[list(scanner.finditer(text)) for scanner in scanners]`, found with one prefilter run instead of one each.

    Finding the word starts worth a look costs most of a scan (a regex step at every gap between words); the
    scanners of one sentence (cues, actors, negations, claims) share that step.  At each start every scanner
    tries its own patterns; where the start is only another scanner's, its patterns can't match there."""

    def __init__(self, scanners: list[PatternScanner]):
        self._scanners = scanners
        together = all(s._starts is not None and s._loose is None for s in scanners)
        self._starts = _Starts.of(["\\b" + body for s in scanners for body in s._bodies], lowered=True) \
            if together else None
        # What each scanner tries at a start (see PatternScanner._chain), gathered by the start's first two letters,
        # or first letter, so that one look-up tells which scanners have patterns there: [(scanner index, union)].
        def plan(two: str) -> list[tuple[int, re.Pattern[str]]]:
            tried = [(k, s._pairs.get(two) or s._firsts.get(two[:1], s._everywhere)) for k, s in enumerate(scanners)]
            return [(k, union) for k, union in tried if union is not None]

        self._by_two = {two: found for two in {two for s in scanners for two in s._pairs} if (found := plan(two))}
        self._by_one = {one: plan(one) for one in {one for s in scanners for one in s._firsts}}
        self._elsewhere = plan("")  # a first letter no pattern has: the scanners' patterns of unknown start

    def finditer_each(self, text: str, lowered: str | None = None) -> list[list[tuple[str, int, int]]]:
        if lowered is None:
            lowered = text.lower()  # (as `_lowered` does, written out: this runs for every sentence with a place)
        if self._starts is None or len(lowered) != len(text):
            return [list(scanner.finditer(text)) for scanner in self._scanners]
        found: list[list[tuple[str, int, int]]] = [[] for _ in self._scanners]
        busy_until = [0] * len(self._scanners)
        by_two, by_one, elsewhere = self._by_two, self._by_one, self._elsewhere
        for start in self._starts(lowered):
            for k, union in by_two.get(lowered[start:start + 2]) or by_one.get(lowered[start], elsewhere):
                if start >= busy_until[k]:
                    match = union.match(text, start)
                    if match:
                        busy_until[k] = match.end()
                        found[k].append((match.lastgroup, start, busy_until[k]))
        return found


def _letters_at(pattern: str, index: int) -> set[str] | None:
    """The characters (lowered) a match of `pattern` can have at `index`; None when any may stand there, or can't be told."""
    found = _prefixes(pattern)
    if found is None:
        return None
    letters: set[str] = set()
    for prefix in found:
        prefix = prefix[1:] if prefix[:1] == (_BOUNDARY,) else prefix
        if len(prefix) <= index or isinstance(prefix[index], _Run) or any(len(ch) > 1 for ch in prefix[index]):
            return None  # an escape ("\\w") or a run admits too much to list
        letters |= {lowered for ch in prefix[index] for lowered in _lower_forms(_char_forms(ch))}
    return letters


def _unions(build: Callable[[Callable[[str], bool]], re.Pattern[str] | None]
            ) -> Callable[[frozenset[str]], re.Pattern[str] | None]:
    """`build(keep)` as a function of the set of patterns kept, compiling each set once (letters that are case
    forms of one another, "в" and "ᲀ", and many letter pairs, keep the same patterns)."""
    compiled: dict[frozenset[str], re.Pattern[str] | None] = {}

    def union(keep: frozenset[str]) -> re.Pattern[str] | None:
        if keep not in compiled:
            compiled[keep] = build(keep.__contains__)
        return compiled[keep]
    return union


def _two_letters(patterns: list[str], union: Callable[[frozenset[str]], re.Pattern[str] | None]
                 ) -> tuple[dict[str, re.Pattern[str]], re.Pattern[str] | None]:
    """The patterns (all of one first letter) split by their second letter: ({second letter: union}, union of the rest).

    `union(kept)` is the compiled union, in the original order, of the patterns `kept` (see `_unions`).  The second value
    holds the patterns whose second letter is not known; any other pattern can't match where the second
    letter is one it doesn't name, so leaving it out of that letter's union changes no match."""
    seconds = {pattern: _letters_at(pattern, 1) for pattern in patterns}
    pairs = {}
    for second in sorted(set().union(*(s for s in seconds.values() if s is not None))):
        pattern = union(frozenset(p for p, s in seconds.items() if s is None or second in s))
        if pattern is not None:
            pairs[second] = pattern
    return pairs, union(frozenset(p for p, s in seconds.items() if s is None))


def _merge(order: list[str], named: dict[str, list[str]], everywhere: dict[str, list[str]]) -> dict[str, list[str]]:
    return {n: named.get(n, []) + everywhere.get(n, []) for n in order if named.get(n) or everywhere.get(n)}


def _compile_kept(named: dict[str, list[str]], keep: Callable[[str], bool], flags: int) -> re.Pattern[str] | None:
    """The union of the patterns `keep` accepts, in order, each group's as (?P<name>...); None when it accepts none."""
    kept = {n: kept for n, ps in named.items() if (kept := [p for p in ps if keep(p)])}
    return re.compile("|".join(f"(?P<{n}>{'|'.join(f'(?:{p})' for p in ps)})" for n, ps in kept.items()), flags) \
        if kept else None


class Prefiltered:
    """A compiled union of patterns that is tried only where one of them could start: same matches, less work.

    `re` tries a union's every alternative at every position; most clauses hold none of the patterns.
    `build(keep)` compiles the union, in order, of the patterns `keep` accepts: a start is tried with the
    patterns that can begin with its first two letters only."""

    def __init__(self, patterns: list[str], build: Callable[[Callable[[str], bool]], re.Pattern[str] | None]):
        self.union = build(lambda pattern: True)
        self._patterns = patterns
        self._plain = not patterns or any(_prefixes(pattern) is None for pattern in patterns)  # starts can't be told
        self._original_starts: _Starts | None | bool = False  # built on first use, like PatternScanner's
        self._starts = _Starts.of(patterns, lowered=True) if not self._plain and _lowering_keeps_words() else None
        firsts = {pattern: _letters_at(pattern, 0) for pattern in patterns}
        union = _unions(build)
        self._pairs: dict[str, re.Pattern[str]] = {}
        self._firsts: dict[str, re.Pattern[str] | None] = {}
        for letter in sorted(set().union(*(f for f in firsts.values() if f is not None))):
            pairs, self._firsts[letter] = _two_letters([p for p, f in firsts.items() if f is None or letter in f], union)
            self._pairs.update({letter + second: pattern for second, pattern in pairs.items()})
        unknown = [p for p, f in firsts.items() if f is None]
        self._anyletter = union(frozenset(unknown)) if unknown else None

    def _tries(self, text: str, lowered: str | None) -> Iterator[tuple[int, re.Pattern[str] | None]]:
        """Each candidate start with the union to try there (None: nothing can match)."""
        lowered = _lowered(text, lowered) if self._starts is not None else None
        if lowered is None:
            yield from ((start, self.union) for start in self._original(text))
            return
        pairs, firsts, anyletter = self._pairs, self._firsts, self._anyletter
        for start in self._starts.few(lowered):
            yield start, pairs.get(lowered[start:start + 2]) or firsts.get(lowered[start], anyletter)

    def _original(self, text: str) -> list[int]:
        """Candidate starts in a text whose lowering shifts offsets ("İ"): rare, so the prefilter is built when needed."""
        if self._original_starts is False:
            self._original_starts = _Starts.of(self._patterns)
        return self._original_starts(text)

    def search(self, text: str, lowered: str | None = None) -> re.Match[str] | None:
        """The first match; `lowered`: `text.lower()` if the caller has it."""
        if self._plain:
            return self.union.search(text)
        lowered = _lowered(text, lowered) if self._starts is not None else None
        if lowered is None:
            return next(filter(None, (self.union.match(text, start) for start in self._original(text))), None)
        pairs, firsts, anyletter = self._pairs, self._firsts, self._anyletter
        for start in self._starts.few(lowered):  # as in _tries, without a generator: this runs for most clauses
            union = pairs.get(lowered[start:start + 2]) or firsts.get(lowered[start], anyletter)
            match = union.match(text, start) if union is not None else None
            if match:
                return match
        return None

    def finditer(self, text: str, lowered: str | None = None) -> Iterator[re.Match[str]]:
        if self._plain:
            yield from self.union.finditer(text)
            return
        busy_until = 0
        for start, union in self._tries(text, lowered):
            if start >= busy_until:
                match = union.match(text, start) if union is not None else None
                if match:  # never empty: every prefix holds a character
                    busy_until = match.end()
                    yield match


class PrefilteredGroup:
    """Several Prefiltered unions over one text in one pass: `finditer_each(text)` is
    `[list(p.finditer(text)) for p in prefiltered]` (so each list's first match is that union's `search`),
    with one run of the prefilter instead of one each (see ScannerGroup)."""

    def __init__(self, members: list[Prefiltered]):
        self._members = members
        together = all(not p._plain and p._starts is not None for p in members)
        self._starts = _Starts.of([pattern for p in members for pattern in p._patterns], lowered=True) \
            if together else None

        self._tables = [(p._pairs, p._firsts, p._anyletter) for p in members]

    def finditer_each(self, text: str, lowered: str | None = None) -> list[list[re.Match[str]]]:
        lowered = _lowered(text, lowered) if self._starts is not None else None
        if lowered is None:
            return [list(p.finditer(text)) for p in self._members]
        starts = self._starts.few(lowered)
        if not starts:  # most clauses (_is_past): no lists to keep, no tables to walk
            return [[] for _ in self._members]
        found: list[list[re.Match[str]]] = [[] for _ in self._members]
        busy_until = [0] * len(self._members)
        tables = self._tables
        for start in starts:
            two, one = lowered[start:start + 2], lowered[start]
            for k, (pairs, firsts, anyletter) in enumerate(tables):
                union = pairs.get(two) or firsts.get(one, anyletter)  # as in Prefiltered._tries
                if union is not None and start >= busy_until[k]:
                    match = union.match(text, start)
                    if match:
                        busy_until[k] = match.end()
                        found[k].append(match)
        return found


class EndAnchored:
    """`search(text)`: does one of some patterns that all end in "$" ("\\btowards?\\s*$") match the text?

    Such a match ends at the end of the text, but `re` can only look for it forwards, trying every start of
    a 60-character window (a few hundred patterns' worth of tests).  Read backwards, it is a match at the
    start of the reversed text: `match`, one try.  The patterns are reversed once (`_reversed`); a pattern
    that can't be (lookarounds, anchors elsewhere) leaves the plain forward search in place."""

    def __init__(self, patterns: list[str], flags: int = re.IGNORECASE):
        self.union = re.compile("|".join(f"(?:{p})" for p in patterns), flags)
        backwards = [_reversed_before_end(pattern) for pattern in patterns]
        self._backwards = None if not patterns or None in backwards else \
            re.compile("|".join(f"(?:{p})" for p in backwards), flags)

    def search(self, text: str) -> bool:
        """`bool(self.union.search(text))`."""
        if self._backwards is None:
            return self.union.search(text) is not None
        backwards = text[::-1]
        # "$" holds at the end, and before a newline that ends the text: the start of the reversed text, or
        # just after its first character if that is the newline
        return self._backwards.match(backwards) is not None or \
            (backwards[:1] == "\n" and self._backwards.match(backwards, 1) is not None)


_FLAG_LETTERS = {re.IGNORECASE: "i", re.MULTILINE: "m", re.DOTALL: "s", re.VERBOSE: ""}  # (VERBOSE only shapes parsing)


def _reversed_before_end(pattern: str) -> str | None:
    """A pattern whose matches at the start of a reversed text are the reversed matches of `pattern` that end at
    its end ("$", dropped); None when that can't be told.

    A regular expression without lookarounds or back-references reads as well backwards: the order of each
    sequence turns round, alternatives and repeats stay what they are, and "\\b" (a boundary between two
    characters) is one backwards too.  Whether some match exists does not depend on greedy or lazy repeats."""
    if _P is None:
        return None
    try:
        parsed = _P.parse(pattern, 0)
        items = list(parsed)
        if parsed.state.flags & ~re.UNICODE or not items or items[-1] != (_C.AT, _C.AT_END):
            return None
        return _emit_reversed(items[:-1])
    except Exception:
        return None


def _emit_reversed(items: list) -> str:
    return "".join(_emit_item(op, arg) for op, arg in reversed(items))


def _emit_item(op, arg) -> str:
    if op is _C.LITERAL:
        return re.escape(chr(arg))
    if op is _C.NOT_LITERAL:
        return "[^" + re.escape(chr(arg)) + "]"
    if op is _C.ANY:
        return "."
    if op is _C.IN:
        return "[" + "".join(_emit_class_item(kind, value) for kind, value in arg) + "]"
    if op is _C.AT and arg is _C.AT_BOUNDARY:
        return r"\b"
    if op is _C.AT and arg is _C.AT_NON_BOUNDARY:
        return r"\B"
    if op is _C.SUBPATTERN:
        _, add, delete, sub = arg
        if any(flag not in _FLAG_LETTERS for flag in _flag_bits(add | delete)):
            raise ValueError("unknown inline flag")
        on = "".join(_FLAG_LETTERS[flag] for flag in _flag_bits(add))
        off = "".join(_FLAG_LETTERS[flag] for flag in _flag_bits(delete))
        return f"(?{on}{'-' + off if off else ''}:{_emit_reversed(list(sub))})"
    if op is _C.BRANCH:
        return "(?:" + "|".join(_emit_reversed(list(branch)) for branch in arg[1]) + ")"
    if op in (_C.MAX_REPEAT, _C.MIN_REPEAT):
        low, high, sub = arg
        bounds = f"{{{low},{'' if high == _C.MAXREPEAT else high}}}"
        return f"(?:{_emit_reversed(list(sub))}){bounds}{'?' if op is _C.MIN_REPEAT else ''}"
    raise ValueError(f"can't reverse {op}")


def _emit_class_item(kind, value) -> str:
    if kind is _C.NEGATE:
        return "^"
    if kind is _C.LITERAL:
        return re.escape(chr(value))
    if kind is _C.RANGE:
        return re.escape(chr(value[0])) + "-" + re.escape(chr(value[1]))
    if kind is _C.CATEGORY and str(value) in _CATEGORIES:
        return _CATEGORIES[str(value)]
    raise ValueError(f"can't write {kind} in a class")


def _flag_bits(flags: int) -> list[int]:
    return [1 << bit for bit in range(flags.bit_length()) if flags >> bit & 1]


class WordStartSearch:
    """`search(text, pos, endpos)`: `pattern.search(text, pos, endpos) is not None`, for a pattern whose matches all
    begin a word ("\\b(?:forces|troops|...)"), such as grammar.MILITARY.

    Searching a case-blind union of many words tries every alternative at every word of the window; a
    prefilter of the words' first letters (spelled out in every case, see `_Starts`) finds, in C, the few
    word starts where the pattern is then tried, with the same `endpos`, so it sees the same text."""

    def __init__(self, pattern: re.Pattern[str]):
        self.pattern = pattern
        starts = _Starts.of([pattern.pattern])
        self._gaps = starts._after_gap if starts is not None else None  # a non-word character before such a word

    def search(self, text: str, pos: int, endpos: int) -> bool:
        pattern = self.pattern
        if self._gaps is None:
            return pattern.search(text, pos, endpos) is not None
        if pos == 0:
            if pattern.match(text, 0, endpos) is not None:
                return True  # (the text's first word has no gap before it)
            pos = 1
        # From the character before `pos`: a word at `pos` is looked at too, if a gap stands before it (else no
        # match can begin there, "\b" being the character before)
        for gap in self._gaps.finditer(text, pos - 1, endpos):
            if pattern.match(text, gap.start() + 1, endpos) is not None:
                return True
        return False
