"""The completion pack's pure rule (SPEC 5 P14, Appendix B): each kind in its place in the
application's order, the once-only certificates once, numbers 1..n without gaps, stable
whatever the order the certificates come in, and what is missing."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from stportal.completion import rules
from stportal.curricula import attachments

ALL_KINDS = attachments.KINDS

items = st.builds(
    rules.Item,
    kind=st.sampled_from(ALL_KINDS),
    title=st.sampled_from(["A", "B", "Akut", "Ö"]),
    goals=st.lists(st.sampled_from(["a1", "b2", "c3", "STa3"]), max_size=3).map(tuple),
    start=st.none() | st.dates(dt.date(2015, 1, 1), dt.date(2030, 1, 1)),
    end=st.none() | st.dates(dt.date(2015, 1, 1), dt.date(2030, 1, 1)),
    source=st.sampled_from(["certificate", "st_day", "plan"]),
    source_id=st.integers(1, 50),
    present=st.booleans(),
)
regulations = st.sampled_from([("2015", False), ("2021", False), ("2021", True)])


@given(st.lists(items, max_size=30), regulations)
def test_p14_numbers_run_from_one_without_gaps(found, regulation):
    pack = rules.pack(found, *regulation)
    assert [a.number for a in pack.attachments] == list(range(1, len(pack.attachments) + 1))


@given(st.lists(items, max_size=30), regulations)
def test_p14_each_kind_is_contiguous_in_the_applications_order(found, regulation):
    pack = rules.pack(found, *regulation)
    kinds = [a.item.kind for a in pack.attachments]
    order = rules.kind_order(*regulation)
    assert all(kind in order for kind in kinds)
    positions = [order.index(kind) for kind in kinds]
    assert positions == sorted(positions)  # contiguous and in the order's sequence


@given(st.lists(items, max_size=30), regulations, st.randoms(use_true_random=False))
def test_p14_the_pack_does_not_depend_on_the_order_certificates_come_in(found, regulation, rnd):
    shuffled = list(found)
    rnd.shuffle(shuffled)
    assert rules.pack(found, *regulation) == rules.pack(shuffled, *regulation)


@given(st.lists(items, max_size=30), regulations)
def test_p14_each_once_only_certificate_has_exactly_one_line(found, regulation):
    pack = rules.pack(found, *regulation)
    kinds = [a.item.kind for a in pack.attachments]
    for kind in rules.kind_order(*regulation):
        if kind in rules.ONCE:
            assert kinds.count(kind) == 1
            line = next(a.item for a in pack.attachments if a.item.kind == kind)
            if any(i.kind == kind and i.present for i in found):
                assert line.present


@given(st.lists(items, max_size=30), regulations)
def test_p14_every_certificate_the_regulation_takes_is_listed(found, regulation):
    pack = rules.pack(found, *regulation)
    listed = {a.item for a in pack.attachments}
    order = rules.kind_order(*regulation)
    for item in found:
        if item.kind in order and item.kind not in rules.ONCE:
            assert item in listed


def test_p14_2015_order_and_numbers():
    found = [
        rules.Item(rules.WRITTEN_WORK, "Skriftligt arbete"),
        rules.Item(rules.COURSE, "Kurs B", start=dt.date(2026, 3, 1)),
        rules.Item(rules.COURSE, "Kurs A", start=dt.date(2025, 3, 1)),
        rules.Item(rules.QUALITY_WORK, "Kvalitetsarbete"),
        rules.Item(rules.CLINICAL_SERVICE, "Vårdcentral"),
        rules.Item(rules.AUSKULTATION, "Auskultation"),
        rules.Item(rules.SCIENCE, "STa3 (2021 only)"),
        rules.Item(rules.BT_GOAL, "BT (2021 only)"),
    ]
    pack = rules.pack(found, "2015", True)
    assert [(a.number, a.item.kind, a.item.title) for a in pack.attachments] == [
        (1, rules.SPECIALIST_COMPETENCE, ""),
        (2, rules.AUSKULTATION, "Auskultation"),
        (3, rules.CLINICAL_SERVICE, "Vårdcentral"),
        (4, rules.COURSE, "Kurs A"),
        (5, rules.COURSE, "Kurs B"),
        (6, rules.QUALITY_WORK, "Kvalitetsarbete"),
        (7, rules.WRITTEN_WORK, "Skriftligt arbete"),
    ]
    assert not pack.bt
    assert pack.missing == (rules.Missing(rules.MISSING_CERTIFICATE, rules.SPECIALIST_COMPETENCE),)


def test_p14_2021_order_with_bt_and_what_is_missing():
    found = [
        rules.Item(rules.BT_GOAL, "BT1–BT3"),
        rules.Item(rules.COURSE, "Kurs"),
        rules.Item(rules.SPECIALIST_COMPETENCE, "Specialistkompetens"),
        rules.Item(rules.WRITTEN_WORK, "Skriftligt (2015 only)"),
    ]
    pack = rules.pack(found, "2021", True, ["Läkemedel"])
    assert [a.item.kind for a in pack.attachments] == [
        rules.SERVICE_COMPLETED,
        rules.SPECIALIST_COMPETENCE,
        rules.COURSE,
        rules.BT_GOAL,
        rules.BT_COMPLETED,
        rules.BT_COMPETENCE,
    ]
    assert pack.missing == (
        rules.Missing(rules.MISSING_SUBJECT, rules.COURSE, "Läkemedel"),
        rules.Missing(rules.MISSING_CERTIFICATE, rules.SERVICE_COMPLETED),
        rules.Missing(rules.MISSING_KIND, rules.QUALITY_WORK),
        rules.Missing(rules.MISSING_KIND, rules.SCIENCE),
        rules.Missing(rules.MISSING_CERTIFICATE, rules.BT_COMPLETED),
        rules.Missing(rules.MISSING_CERTIFICATE, rules.BT_COMPETENCE),
    )


def test_p14_a_once_only_certificate_present_wins_over_one_to_come():
    found = [
        rules.Item(rules.SPECIALIST_COMPETENCE, "to come", source_id=9, present=False),
        rules.Item(rules.SPECIALIST_COMPETENCE, "signed", source_id=1),
    ]
    pack = rules.pack(found, "2015", False)
    assert pack.attachments[0].item.title == "signed"
    assert all(m.kind != rules.SPECIALIST_COMPETENCE for m in pack.missing)


def test_p14_a_planned_certificate_is_numbered_but_does_not_count_as_there():
    found = [rules.Item(rules.QUALITY_WORK, "Planerat kvalitetsarbete", present=False)]
    pack = rules.pack(found, "2015", False)
    assert [(a.number, a.item.present) for a in pack.attachments][1] == (2, False)
    assert rules.Missing(rules.MISSING_KIND, rules.QUALITY_WORK) in pack.missing


def test_p14_form_numbers_of_the_regulations():
    assert rules.form_number("2015", rules.COURSE) == "5"
    assert rules.form_number("2021", rules.COURSE) == "10"
    assert rules.form_number("2021", rules.BT_COMPETENCE) == "BT 4"
    assert rules.form_number("2015", rules.SCIENCE) == ""
