"""What waits for a person (the start page's "Att göra"): applications to decide, statements
to review or finish, offers to answer, certificates to sign.

Each app that has something a person should act on registers a source in its
`AppConfig.ready()`; the start page asks them all. A source is `fn(user) -> [Waiting, ...]`,
answers in a constant number of queries, and leaves out what has a count of nought.
Core sits below every app, so the apps come to it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Waiting:
    """One line of the list: what it is (a whole translated sentence with its count), how
    many, and the page where it is done."""

    label: str
    count: int
    url: str
    # Lower comes first (things with a deadline before things without).
    order: int = 50


WaitingSource = Callable[[Any], list[Waiting]]

_SOURCES: dict[str, WaitingSource] = {}


def register_waiting_source(name: str, source: WaitingSource) -> None:
    """Register (or replace) the source called `name`."""
    _SOURCES[name] = source


def waiting_for(user: Any) -> list[Waiting]:
    """Everything waiting for `user`, most pressing first."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    found = [item for name in sorted(_SOURCES) for item in _SOURCES[name](user) if item.count > 0]
    return sorted(found, key=lambda item: (item.order, item.label))
