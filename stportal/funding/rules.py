"""The pure rules of funding applications (SPEC 5 P3): totals, the yearly limit that warns and
never blocks, and spending per area, year and cost kind. Plain data in, decisions out."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

COST_KINDS = ("fee", "travel", "lodging", "other")


def total(amounts: Iterable[int]) -> int:
    """The total of an application's cost items, whole SEK."""
    return sum(amounts)


@dataclass(frozen=True)
class YearlyLimit:
    """The trainee's applications of one year against the area's limit."""

    year: int
    total: int  # approved and submitted applications of the year, whole SEK
    limit: int | None

    @property
    def exceeded(self) -> bool:
        """Over the limit (a warning only: an application is never refused for it)."""
        return self.limit is not None and self.total > self.limit

    @property
    def over_by(self) -> int:
        return max(0, self.total - self.limit) if self.limit is not None else 0


def yearly_limit(year: int, totals: Iterable[int], limit: int | None) -> YearlyLimit:
    """`totals` are those of the trainee's approved and submitted applications of `year`."""
    return YearlyLimit(year=year, total=sum(totals), limit=limit)


@dataclass(frozen=True)
class SpendingRow:
    area: str
    year: int
    by_kind: dict[str, int]
    applications: int

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())


def spending(items: Iterable[tuple[str, int, int, str, int]]) -> list[SpendingRow]:
    """Approved spending per area and year. `items` are (area name, year, application id,
    cost kind, amount); rows sorted by year (newest first), then area."""
    amounts: dict[tuple[str, int], dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(COST_KINDS, 0)
    )
    applications: dict[tuple[str, int], set[int]] = defaultdict(set)
    for area, year, application_id, kind, amount in items:
        amounts[(area, year)][kind] = amounts[(area, year)].get(kind, 0) + amount
        applications[(area, year)].add(application_id)
    keys = sorted(amounts, key=lambda key: (-key[1], key[0]))
    return [
        SpendingRow(
            area=area,
            year=year,
            by_kind=amounts[(area, year)],
            applications=len(applications[(area, year)]),
        )
        for area, year in keys
    ]


def bar_percent(value: int, largest: int) -> int:
    """A bar's length in whole percent of the largest value (0 to 100)."""
    if largest <= 0 or value <= 0:
        return 0
    return max(1, min(100, round(100 * value / largest)))
