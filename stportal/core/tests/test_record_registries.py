"""The registries the trainee record's apps meet in (SPEC 5 P6, P11, P13, P14): periods of the
ST, sections of the annual report, certificates for the specialist application. Each app
registers its source; the readers get every source's answer, in a stable order, whatever order
the sources were registered in."""

from __future__ import annotations

import datetime as dt

import pytest

from stportal.core import periods, yearly
from stportal.curricula import attachments

D = dt.date


@pytest.fixture
def empty_registries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(periods, "_SOURCES", {})
    monkeypatch.setattr(yearly, "_SOURCES", {})
    monkeypatch.setattr(attachments, "_SOURCES", {})


def test_periods_of_a_trainee_come_from_every_source_by_date(empty_registries: None) -> None:
    """P11: the timeline reads placements and secondments from their apps alike."""
    periods.register_period_source(
        "b",
        lambda tid: (
            [periods.Period(periods.SECONDMENT, D(2027, 3, 1), D(2027, 6, 20), "Psyk", "b", 1)]
            if tid == 7
            else []
        ),
    )
    periods.register_period_source(
        "a",
        lambda tid: [
            periods.Period(periods.PLACEMENT, D(2027, 1, 1), D(2027, 2, 28), "VC", "a", 4)
        ],
    )
    found = periods.periods_of(7)
    assert [(p.kind, p.title) for p in found] == [
        (periods.PLACEMENT, "VC"),
        (periods.SECONDMENT, "Psyk"),
    ]
    assert [p.kind for p in periods.periods_of(8)] == [periods.PLACEMENT]


def test_a_period_must_be_of_a_known_kind_and_end_after_it_starts() -> None:
    with pytest.raises(ValueError):
        periods.Period("holiday", D(2027, 1, 1), D(2027, 1, 2), "x", "s", 1)
    with pytest.raises(ValueError):
        periods.Period(periods.LEAVE, D(2027, 1, 2), D(2027, 1, 1), "x", "s", 1)


def test_re_registering_a_source_replaces_it(empty_registries: None) -> None:
    one = periods.Period(periods.RESEARCH, D(2027, 1, 1), D(2027, 1, 31), "one", "s", 1)
    two = periods.Period(periods.RESEARCH, D(2027, 2, 1), D(2027, 2, 28), "two", "s", 2)
    periods.register_period_source("s", lambda tid: [one])
    periods.register_period_source("s", lambda tid: [two])
    assert periods.periods_of(1) == [two]


def test_year_sections_are_ordered_and_a_source_may_say_nothing(empty_registries: None) -> None:
    """P13: the annual report asks every app for its part of the year."""
    seen: list[tuple[int, dt.date, dt.date]] = []

    def courses(tid: int, start: dt.date, end: dt.date) -> yearly.YearSection:
        seen.append((tid, start, end))
        return yearly.YearSection("courses", "Kurser", ["LEKA A"], order=20)

    yearly.register_year_section("courses", courses)
    yearly.register_year_section(
        "placements", lambda tid, s, e: yearly.YearSection("placements", "Placeringar", order=10)
    )
    yearly.register_year_section("silent", lambda tid, s, e: None)
    sections = yearly.year_sections(3, D(2026, 1, 1), D(2026, 12, 31))
    assert [s.key for s in sections] == ["placements", "courses"]
    assert seen == [(3, D(2026, 1, 1), D(2026, 12, 31))]


def test_evidence_is_gathered_by_kind_and_date(empty_registries: None) -> None:
    """P14: certificates from every app, grouped by kind, oldest first within a kind."""
    attachments.register_evidence_source(
        "courses",
        lambda tid: [
            attachments.Evidence(attachments.COURSE, "B", ("a2",), D(2027, 5, 1), None, "c", 2),
            attachments.Evidence(attachments.COURSE, "A", ("a1",), D(2026, 5, 1), None, "c", 1),
        ],
    )
    attachments.register_evidence_source(
        "plan",
        lambda tid: [
            attachments.Evidence(
                attachments.CLINICAL_SERVICE, "VC", ("c1",), None, None, "p", 9, present=False
            )
        ],
    )
    found = attachments.evidence_of(1)
    assert [(e.kind, e.title) for e in found] == [
        (attachments.CLINICAL_SERVICE, "VC"),
        (attachments.COURSE, "A"),
        (attachments.COURSE, "B"),
    ]
    with pytest.raises(ValueError):
        attachments.Evidence("diploma", "x", (), None, None, "s", 1)
