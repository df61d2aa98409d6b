"""Free-text search over a few fields, decided in Python: plain data in, a yes or no out.

SQLite compares only ASCII letters without regard to case (`LIKE`), so "Läkemedel" would not
find "LÄKEMEDEL" there; searching the few hundred rows of a region's catalogue or questions in
Python gives the same answer on both databases, in the queries the list already makes.
"""

from __future__ import annotations

from collections.abc import Iterable

MAX_TERMS = 20


def terms(query: str | None) -> tuple[str, ...]:
    """The words of a query, case-folded, without repeats, at most MAX_TERMS."""
    if not query:
        return ()
    seen: list[str] = []
    for word in query.casefold().split():
        if word not in seen:
            seen.append(word)
    return tuple(seen[:MAX_TERMS])


def matches(words: Iterable[str], texts: Iterable[str | None]) -> bool:
    """Whether every word occurs in at least one of the texts (no words: everything matches)."""
    haystack = "\n".join(text.casefold() for text in texts if text)
    return all(word in haystack for word in words)
