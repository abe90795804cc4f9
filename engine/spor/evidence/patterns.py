"""A static check of a regular expression from a rule file: refuse the shapes that backtrack without end.

Python's ``re`` backtracks. A pattern like ``(x+x+)+y`` takes time
exponential in the length of a text of x's, because the text can be split
between the quantifiers in exponentially many ways, and each is tried
before the match fails. The check reads the parsed pattern (``re._parser``,
the parser ``re`` itself uses) and refuses, inside a quantifier that may
repeat its body:

* a variable quantifier (``+``, ``*``, ``{1,5}``) whose characters can
  also be matched by what follows it, up to the next round of the body:
  ``(x+x+)+``, ``(\\w+\\s?)*``, ``(a{1,2})*`` (nested quantifiers);
* an alternation whose branches can start with the same character:
  ``(a|aa)*``, ``(\\w|\\d-)+``.

Characters are compared on a sample: every code point below 256 and a few
beyond (Greek, Cyrillic, CJK, a line separator, a full-width digit, an
emoji), with case folded, as the rulebase's patterns are matched ignoring
case. What it does not catch, a quantifier over a long text at the top
level (``a*a*b``: time growing with a power of the length, not
exponentially), is bounded by the length of the texts the patterns run on.
"""

from __future__ import annotations

import re
import re._constants as sre  # type: ignore[import-not-found]
import re._parser as sre_parse  # type: ignore[import-not-found]
from functools import lru_cache

from spor.common.messages import Msg

SAMPLE = (*range(256), 0x100, 0x3B1, 0x416, 0x4E2D, 0x2028, 0xFF10, 0x1F600)
ALL = frozenset(SAMPLE)
NONE: frozenset = frozenset()
REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT)  # possessive repeats and atomic groups never backtrack: not checked
CATEGORIES = {
    sre.CATEGORY_DIGIT: r"\d",
    sre.CATEGORY_NOT_DIGIT: r"\D",
    sre.CATEGORY_SPACE: r"\s",
    sre.CATEGORY_NOT_SPACE: r"\S",
    sre.CATEGORY_WORD: r"\w",
    sre.CATEGORY_NOT_WORD: r"\W",
}


def catastrophic(text: str) -> str:
    """Why a pattern can take time exponential in its text's length ("" when it cannot, or does not compile)."""
    try:
        parsed = sre_parse.parse(text, re.I | re.M)
    except (re.error, RecursionError, OverflowError):
        return ""  # the caller reports what does not compile
    problems: list[Msg] = []
    _scan(list(parsed), NONE, False, problems)
    return problems[0] if problems else ""


@lru_cache(maxsize=16)
def _category(name) -> frozenset:
    rx = re.compile(CATEGORIES.get(name, r"[\s\S]"))
    return frozenset(c for c in SAMPLE if rx.match(chr(c)))


def _cases(c: int) -> tuple:
    """A code point with its other cases among the sample."""
    others = (chr(c).lower(), chr(c).upper())
    return (c, *(ord(o) for o in others if len(o) == 1 and ord(o) in ALL and ord(o) != c))


CASES = {c: _cases(c) for c in SAMPLE}


@lru_cache(maxsize=1024)
def _folded(chars: frozenset) -> frozenset:
    """The characters with their other case (the patterns are matched ignoring case)."""
    return frozenset(o for c in chars & ALL for o in CASES[c])


def _set(items) -> frozenset:
    """The characters a character class ``[...]`` matches."""
    chars: set[int] = set()
    negate = False
    for op, av in items:
        if op is sre.NEGATE:
            negate = True
        elif op is sre.LITERAL:
            chars.add(av)
        elif op is sre.RANGE:
            chars.update(c for c in SAMPLE if av[0] <= c <= av[1])
        elif op is sre.CATEGORY:
            chars |= _category(av)
    folded = _folded(frozenset(chars))
    return ALL - folded if negate else folded


def _first(seq) -> tuple:
    """(the characters a sequence can start with, whether it can match the empty text)."""
    chars: frozenset = NONE
    for op, av in seq:
        here, empty = _first_item(op, av)
        chars |= here
        if not empty:
            return chars, False
    return chars, True


def _first_item(op, av) -> tuple:
    if op is sre.LITERAL:
        return _folded(frozenset((av,))), False
    if op is sre.NOT_LITERAL:
        return ALL - _folded(frozenset((av,))), False
    if op is sre.ANY:
        return ALL, False
    if op is sre.IN:
        return _set(av), False
    if op is sre.SUBPATTERN:
        return _first(av[3])
    if op is sre.ATOMIC_GROUP:
        return _first(av)
    if op in REPEATS or op is sre.POSSESSIVE_REPEAT:
        chars, empty = _first(av[2])
        return chars, empty or av[0] == 0
    if op is sre.BRANCH:
        firsts = [_first(alt) for alt in av[1]]
        return frozenset().union(*(f for f, _ in firsts)), any(e for _, e in firsts)
    if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
        return NONE, True
    return ALL, True  # a back reference, a conditional: anything


def _scan(seq, follow: frozenset, repeated: bool, problems: list) -> None:
    """Look through a sequence; ``follow``: what can come after it, up to the next round of the body it is in."""
    for i, (op, av) in enumerate(seq):
        rest, empty = _first(seq[i + 1 :])
        after = rest | follow if empty else rest
        if op in REPEATS:
            low, high, body = av
            own, _ = _first(body)
            if repeated and high > low and own & after:
                problems.append(Msg("regex_nested_quantifier"))
                return
            if high > 1:
                _scan(list(body), own | after, True, problems)
            else:
                _scan(list(body), after, repeated, problems)
        elif op is sre.SUBPATTERN:
            _scan(list(av[3]), after, repeated, problems)
        elif op is sre.BRANCH:
            starts = [chars | after if empty else chars for chars, empty in map(_first, av[1])]
            if repeated and any(starts[a] & starts[b] for a in range(len(starts)) for b in range(a)):
                problems.append(Msg("regex_overlapping_branches"))
                return
            for alt in av[1]:
                _scan(list(alt), after, repeated, problems)
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            _scan(list(av[1]), NONE, False, problems)
        elif op is sre.POSSESSIVE_REPEAT or op is sre.ATOMIC_GROUP:
            continue
        if problems:
            return
