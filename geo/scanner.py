"""Many named regular expressions over one text, fast.

A plain union of a few hundred cue patterns makes Python's `re` try every
alternative at every position.  Almost all cues start at a word ("\\bretook",
"\\bзвільн\\w*"), so `PatternScanner` tries, at each word start, only the
patterns whose first letter can be that word's first letter: a small
dispatch table built once, like the first-token index of a phrase matcher.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

try:  # the parser behind `re`; used once per pattern to learn which letters it can start with
    from re import _constants as _C
    from re import _parser as _P
except ImportError:  # pragma: no cover - other Pythons: every pattern is tried at every word
    _C = _P = None

_WORD_START = re.compile(r"\b\w")


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


class PatternScanner:
    """`finditer(text)` yields (name, start, end) for every non-overlapping match of the named patterns."""

    def __init__(self, groups: dict[str, list[str]], flags: int = re.IGNORECASE):
        buckets: dict[str, dict[str, list[str]]] = {}
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
                    for letter in letters:
                        buckets.setdefault(letter, {}).setdefault(name, []).append(body)
        order = list(groups)
        self._by_letter = {letter: _compile(_merge(order, named, everywhere), flags) for letter, named in buckets.items()}
        # Word starts worth a look, found in C: only letters some pattern can begin with (all words if unknown).
        letters = "".join(sorted(re.escape(ch) for ch in buckets))
        self._starts = _WORD_START if everywhere or not letters else re.compile(rf"\b[{letters}]", flags)
        self._everywhere = _compile(_merge(order, {}, everywhere), flags) if everywhere else None
        self._loose = _compile({n: loose[n] for n in order if n in loose}, flags) if loose else None

    def finditer(self, text: str) -> Iterator[tuple[str, int, int]]:
        found: list[tuple[int, int, str]] = []
        busy_until = 0
        for word in self._starts.finditer(text):
            start = word.start()
            if start < busy_until:
                continue
            pattern = self._by_letter.get(text[start].lower(), self._everywhere)
            match = pattern.match(text, start) if pattern is not None else None
            if match:
                found.append((match.start(), match.end(), match.lastgroup))
                busy_until = match.end()
        if self._loose is not None:
            found += [(m.start(), m.end(), m.lastgroup) for m in self._loose.finditer(text)]
            found.sort()
        for start, end, name in found:
            yield name, start, end


def _merge(order: list[str], named: dict[str, list[str]], everywhere: dict[str, list[str]]) -> dict[str, list[str]]:
    return {n: named.get(n, []) + everywhere.get(n, []) for n in order if named.get(n) or everywhere.get(n)}


def _compile(named: dict[str, list[str]], flags: int) -> re.Pattern[str]:
    return re.compile("|".join(f"(?P<{n}>{'|'.join(f'(?:{p})' for p in ps)})" for n, ps in named.items()), flags)
