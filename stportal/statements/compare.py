"""Two versions of a statement side by side, with what differs marked (P5): pure, no Django.

The texts are compared paragraph by paragraph (lines), and a changed paragraph word by word,
with the standard library's difflib. The result is plain data; the page escapes it as it
renders every other text.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

SAME = "same"
CHANGED = "changed"
ADDED = "added"
REMOVED = "removed"

# Words and the space after them stay together, so a marked change reads as whole words.
_WORDS = re.compile(r"\S+\s*|\s+")


@dataclass(frozen=True)
class Piece:
    """A run of text, marked when it differs from the other side."""

    text: str
    marked: bool


@dataclass(frozen=True)
class Row:
    """One paragraph of each side (an empty side where the other added or removed one)."""

    kind: str
    left: tuple[Piece, ...]
    right: tuple[Piece, ...]


def _words(line: str) -> list[str]:
    return _WORDS.findall(line)


def _merge(pieces: list[Piece]) -> tuple[Piece, ...]:
    merged: list[Piece] = []
    for piece in pieces:
        if not piece.text:
            continue
        if merged and merged[-1].marked == piece.marked:
            merged[-1] = Piece(merged[-1].text + piece.text, piece.marked)
        else:
            merged.append(piece)
    return tuple(merged)


def _inline(old: str, new: str) -> tuple[tuple[Piece, ...], tuple[Piece, ...]]:
    a, b = _words(old), _words(new)
    left: list[Piece] = []
    right: list[Piece] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        same = tag == "equal"
        left.append(Piece("".join(a[i1:i2]), not same))
        right.append(Piece("".join(b[j1:j2]), not same))
    return _merge(left), _merge(right)


def side_by_side(old: str, new: str) -> list[Row]:
    """The rows of `old` (left) against `new` (right)."""
    a, b = old.splitlines(), new.splitlines()
    rows: list[Row] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows.extend(
                Row(SAME, _merge([Piece(line, False)]), _merge([Piece(line, False)]))
                for line in a[i1:i2]
            )
            continue
        olds, news = a[i1:i2], b[j1:j2]
        for k in range(max(len(olds), len(news))):
            if k < len(olds) and k < len(news):
                left, right = _inline(olds[k], news[k])
                rows.append(Row(CHANGED, left, right))
            elif k < len(olds):
                rows.append(Row(REMOVED, _merge([Piece(olds[k], True)]), ()))
            else:
                rows.append(Row(ADDED, (), _merge([Piece(news[k], True)])))
    return rows


def text_of(pieces: tuple[Piece, ...]) -> str:
    return "".join(piece.text for piece in pieces)
