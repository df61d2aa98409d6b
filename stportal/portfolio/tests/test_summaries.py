"""The sentences of what remains (SPEC 5 P1) say the counts the coverage rule decides."""

from __future__ import annotations

from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from stportal.curricula.coverage import COURSE, Covering, GoalRef, SubjectRef, cover
from stportal.portfolio.summaries import summary_lines

CODES = [f"a{n}" for n in range(1, 7)] + [f"b{n}" for n in range(1, 6)]


@given(
    covered=st.sets(st.sampled_from(CODES)),
    subject_goals=st.lists(st.sets(st.sampled_from(CODES), max_size=2), max_size=12),
)
def test_summary_counts_what_remains_p1(covered, subject_goals):
    goals = [GoalRef(code, code) for code in CODES]
    subjects = [
        SubjectRef(n, f"Ämne {n}", frozenset(codes)) for n, codes in enumerate(subject_goals, 1)
    ]
    items = [Covering(COURSE, 1, "Kurs", frozenset(covered))] if covered else []
    coverage = cover(goals, subjects, items)
    with translation.override("en"):
        lines = summary_lines(coverage)
    goal_line = lines[-1]
    assert goal_line.startswith(f"{len(CODES) - len(covered)} of {len(CODES)} goal")
    if subjects:
        remaining = sum(1 for codes in subject_goals if not codes or not codes <= covered)
        assert lines[0].startswith(f"{remaining} of {len(subjects)} mandatory subject")
    else:
        assert len(lines) == 1
