"""The annual report's own rules (SPEC 5 P13): pure, no Django.

The states and their transitions are the supervisor statement's (`statements.workflow`,
called, not copied): draft -> ready_for_review -> reviewed, or back to draft with a comment.
In the workflow's words both authors of an annual report are writers (its `SUPERVISOR` role):
they edit while it is a draft. What is the annual report's own is decided here:

- A report covers one calendar year, 1 January to 31 December (`period_of`): the region
  plans its course programme, funding and study time by calendar year, and a trainee's
  ST start falls on any day, so an ST year would split every other year's records in two.
- Two parts are written: the trainee's reflection and the supervisor's assessment. Each is
  written only by its author (`part_of`).
- The supervisor submits (marks it ready for review), and only once both parts are written
  (`missing_parts`): the supervisor signs off the year, as with a statement.
"""

from __future__ import annotations

import datetime as dt

# The two parts and who writes each.
TRAINEE = "trainee"
SUPERVISOR = "supervisor"
PARTS: tuple[str, ...] = (TRAINEE, SUPERVISOR)

# The years a report may cover (the bounds of every date in the product).
FIRST_YEAR = 2000
LAST_YEAR = 2100


def period_of(year: int) -> tuple[dt.date, dt.date]:
    """The first and last day the report for `year` covers (both included)."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(year)
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def part_of(*, is_trainee: bool, is_supervisor: bool) -> str | None:
    """The part a person writes: the trainee their reflection, the supervisor their
    assessment, anyone else none. Nobody supervises themselves, so the two never meet; if they
    did, the trainee's own part wins (a trainee never assesses themselves)."""
    if is_trainee:
        return TRAINEE
    if is_supervisor:
        return SUPERVISOR
    return None


def missing_parts(trainee_text: str, supervisor_text: str) -> tuple[str, ...]:
    """The parts still unwritten, in order; a report is submitted only when none is."""
    written = {TRAINEE: trainee_text, SUPERVISOR: supervisor_text}
    return tuple(part for part in PARTS if not written[part].strip())
