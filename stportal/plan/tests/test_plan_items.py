"""The education plan's rules (SPEC 5 P11): who keeps it, who reads it, what an item may hold,
its certificate, and what it feeds: coverage (P1), the periods of the ST, the certificates of
the specialist application (P14) and the annual report (P13)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from stportal.core import periods
from stportal.core.audit import AuditEvent
from stportal.core.errors import NotFound, PermissionDenied, ValidationFailed
from stportal.core.yearly import year_sections
from stportal.curricula import attachments
from stportal.curricula.attachments import evidence_of
from stportal.curricula.coverage import PLAN_PLACEMENT, PLAN_QUALITY_WORK
from stportal.curricula.sources import coverage_items
from stportal.plan import selectors, services
from stportal.plan.models import ItemKind, PlanItem
from stportal.plan.tests.conftest import NOW, TODAY, add, make_pdf
from stportal.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_the_trainee_adds_a_placement_with_goals_p11(sara):
    item = add(sara.user, sara, goal_codes=["a1", "b2"], extent_percent=75)
    assert item.kind == ItemKind.PLACEMENT
    assert sorted(g.code for g in item.goals.all()) == ["a1", "b2"]
    assert item.extent_percent == 75
    assert item.created_by == sara.user
    event = AuditEvent.objects.get(action="plan_item.added")
    assert event.after["goal_codes"] == ["a1", "b2"]


def test_a_placement_is_full_time_unless_said_p11(sara):
    assert add(sara.user, sara).extent_percent == 100
    assert add(sara.user, sara, kind="research", extent_percent=50).extent_percent is None


def test_only_goals_of_the_trainees_curriculum_version_are_accepted_p11(sara, goran):
    with pytest.raises(ValidationFailed) as refused:
        add(sara.user, sara, goal_codes=["a1", "STa3"])
    assert "STa3" in refused.value.fields["goal_codes"][0]
    with pytest.raises(ValidationFailed):
        add(goran.user, goran, goal_codes=["a1"])
    assert add(goran.user, goran, goal_codes=["STa3", "STb1"]).goals.count() == 2
    assert not PlanItem.objects.filter(trainee=sara).exists()


def test_the_fields_are_checked_together_p11(sara):
    cases = [
        ({"end_date": dt.date(2024, 8, 1)}, "end_date"),
        ({"end_date": None}, "end_date"),
        ({"start_date": dt.date(1999, 1, 1)}, "start_date"),
        ({"title": ""}, "title"),
        ({"title": "x\x00"}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"status": "maybe"}, "status"),
        ({"end_date": TODAY + dt.timedelta(days=1)}, "status"),  # done before it ended
        ({"extent_percent": 0}, "extent_percent"),
        ({"extent_percent": 101}, "extent_percent"),
        ({"bt_part": "primary_care"}, "bt_part"),  # a 2015 trainee has no BT
    ]
    for changes, field in cases:
        with pytest.raises(ValidationFailed) as refused:
            add(sara.user, sara, **changes)
        assert field in refused.value.fields, (changes, refused.value.fields)
    with pytest.raises(ValidationFailed) as refused:
        add(sara.user, sara, kind="dance")
    assert "kind" in refused.value.fields
    with pytest.raises(ValidationFailed) as refused:
        add(sara.user, sara, kind="leave", goal_codes=["a1"])
    assert "goal_codes" in refused.value.fields
    assert not PlanItem.objects.exists()


def test_bt_belongs_to_2021_trainees_with_its_parts_as_placements_p11(sara, goran):
    with pytest.raises(ValidationFailed) as refused:
        add(sara.user, sara, kind="bt", title="BT")
    assert "kind" in refused.value.fields
    bt = add(goran.user, goran, kind="bt", title="BT", end_date=dt.date(2025, 6, 30))
    part = add(goran.user, goran, title="BT på vårdcentral", bt_part="primary_care")
    assert bt.kind == "bt" and part.bt_part == "primary_care"
    with pytest.raises(ValidationFailed):
        add(goran.user, goran, kind="research", bt_part="acute_care")


def test_a_supervision_meeting_is_one_day_with_a_few_words_p11(sara, supervisor):
    meeting = services.add_plan_item(
        actor=supervisor,
        trainee=sara,
        kind="supervision",
        title="Genomgång av målen för våren",
        start_date=dt.date(2027, 3, 1),
        end_date=dt.date(2027, 5, 1),
        status="done",
        now=NOW,
    )
    assert meeting.start_date == meeting.end_date == dt.date(2027, 3, 1)
    assert meeting.created_by == supervisor
    plain = services.add_plan_item(
        actor=sara.user, trainee=sara, kind="supervision", start_date=TODAY, now=NOW
    )
    assert plain.title == "Handledarsamtal"


def test_supervisor_and_study_director_read_and_record_meetings_only_p11(
    sara, supervisor, study_director, regional_study_director
):
    for reader in (supervisor, study_director, regional_study_director):
        assert selectors.get_trainee_for_user(reader, sara.pk) == sara
        with pytest.raises(PermissionDenied):
            add(reader, sara)
        meeting = add(reader, sara, kind="supervision", title="Uppföljning")
        assert meeting.created_by == reader


def test_nobody_else_sees_the_plan_p11(
    sara, other_trainee, other_supervisor, other_study_director, course_admin, outsider_admin
):
    item = add(sara.user, sara)
    for outsider in (
        other_trainee.user,
        other_supervisor,
        other_study_director,
        course_admin,  # staff of the region read the record, but not the plan
        outsider_admin,
    ):
        with pytest.raises(NotFound):
            selectors.get_trainee_for_user(outsider, sara.pk)
        with pytest.raises(NotFound):
            selectors.get_item_for_user(outsider, item.pk)
        with pytest.raises(NotFound):
            add(outsider, sara, kind="supervision")
        with pytest.raises(NotFound):
            services.change_plan_item(actor=outsider, item=item, title="Annat")
        with pytest.raises(NotFound):
            services.remove_plan_item(actor=outsider, item=item)
    assert PlanItem.objects.get().title == "Allmänmedicin"


def test_who_changes_and_removes_what_p11(sara, supervisor, study_director):
    placement = add(sara.user, sara)
    meeting = add(supervisor, sara, kind="supervision", title="Första samtalet")
    with pytest.raises(PermissionDenied):
        services.change_plan_item(actor=supervisor, item=placement, title="Annat")
    with pytest.raises(PermissionDenied):
        services.change_plan_item(actor=study_director, item=meeting, title="Annat")
    changed = services.change_plan_item(actor=supervisor, item=meeting, title="Andra samtalet")
    assert changed.title == "Andra samtalet"
    with pytest.raises(PermissionDenied):
        services.change_plan_item(actor=supervisor, item=meeting, kind="placement")
    changed = services.change_plan_item(
        actor=sara.user, item=placement, status="planned", goal_codes=["b1"], now=NOW
    )
    assert changed.status == "planned" and [g.code for g in changed.goals.all()] == ["b1"]
    event = AuditEvent.objects.filter(action="plan_item.changed").order_by("pk").last()
    assert event.before["goal_codes"] == [] and event.after["goal_codes"] == ["b1"]
    services.remove_plan_item(actor=sara.user, item=meeting)
    services.remove_plan_item(actor=sara.user, item=placement)
    assert not PlanItem.objects.exists()
    assert AuditEvent.objects.filter(action="plan_item.removed").count() == 2


def test_the_certificate_is_checked_as_funding_checks_its_own_p11(sara, supervisor, settings):
    item = add(sara.user, sara)
    with pytest.raises(ValidationFailed) as refused:
        services.attach_plan_certificate(actor=sara.user, item=item, data=b"not a pdf at all")
    assert "file" in refused.value.fields
    settings.FUNDING_CERTIFICATE_MAX_BYTES = 100
    with pytest.raises(ValidationFailed) as refused:
        services.attach_plan_certificate(actor=sara.user, item=item, data=make_pdf())
    assert (
        "too large" in refused.value.fields["file"][0]
        or "för stor" in (refused.value.fields["file"][0])
    )
    settings.FUNDING_CERTIFICATE_MAX_BYTES = 5 * 1024 * 1024
    with pytest.raises(PermissionDenied):
        services.attach_plan_certificate(actor=supervisor, item=item, data=make_pdf())
    attached = services.attach_plan_certificate(
        actor=sara.user, item=item, data=make_pdf(), filename="intyg.pdf"
    )
    assert attached.has_certificate and attached.certificate_filename == "intyg.pdf"
    assert selectors.certificate_bytes(attached).startswith(b"%PDF")
    removed = services.remove_plan_certificate(actor=sara.user, item=attached)
    assert not removed.has_certificate and selectors.certificate_bytes(removed) is None


def test_done_items_with_goals_cover_them_p1_p11(sara):
    done = add(sara.user, sara, goal_codes=["a1", "b2"])
    add(sara.user, sara, status="planned", goal_codes=["a2"], end_date=dt.date(2028, 1, 1))
    add(sara.user, sara, kind="research", title="Utan delmål")
    work = add(
        sara.user,
        sara,
        kind="quality_work",
        title="Förbättrad uppföljning av diabetes",
        goal_codes=["a4"],
        end_date=dt.date(2026, 3, 1),
    )
    items = coverage_items([sara.pk])[sara.pk]
    plan = sorted((i.kind, i.id, tuple(sorted(i.goal_codes))) for i in items)
    assert plan == sorted(
        [(PLAN_PLACEMENT, done.pk, ("a1", "b2")), (PLAN_QUALITY_WORK, work.pk, ("a4",))]
    )


def test_the_plan_gives_its_periods_but_not_its_meetings_p11(sara, supervisor):
    placement = add(sara.user, sara)
    planned = add(
        sara.user,
        sara,
        title="Vårdcentralen Mariehem",
        place="Mariehem",
        status="planned",
        start_date=dt.date(2027, 9, 1),
        end_date=dt.date(2028, 8, 31),
        extent_percent=80,
    )
    leave = add(
        sara.user, sara, kind="leave", title="Föräldraledighet", end_date=dt.date(2025, 1, 31)
    )
    add(supervisor, sara, kind="supervision", title="Samtal")
    found = {p.source_id: p for p in periods.periods_of(sara.pk) if p.source == "plan"}
    assert set(found) == {placement.pk, planned.pk, leave.pk}
    assert found[placement.pk].kind == periods.PLACEMENT and not found[placement.pk].planned
    assert found[planned.pk].planned
    assert found[planned.pk].title == "Vårdcentralen Mariehem, Mariehem (80 %)"
    assert found[leave.pk].kind == periods.LEAVE


def test_certificates_for_the_specialist_application_p11_p14(sara, goran):
    placement = add(sara.user, sara, goal_codes=["b2"])
    add(sara.user, sara, kind="auskultation", title="Hudmottagningen", end_date=dt.date(2024, 9, 5))
    add(sara.user, sara, kind="quality_work", title="Läkemedelsgenomgångar", goal_codes=["a4"])
    add(sara.user, sara, kind="written_work", title="Vetenskapligt arbete", goal_codes=["a5"])
    add(sara.user, sara, kind="research", title="Forskning")
    add(goran.user, goran, kind="written_work", title="Vetenskapligt arbete", goal_codes=["STa3"])
    services.attach_plan_certificate(actor=sara.user, item=placement, data=make_pdf())
    mine = [e for e in evidence_of(sara.pk) if e.source == "plan"]
    assert sorted(e.kind for e in mine) == sorted(
        [
            attachments.CLINICAL_SERVICE,
            attachments.AUSKULTATION,
            attachments.QUALITY_WORK,
            attachments.WRITTEN_WORK,
        ]
    )
    clinical = next(e for e in mine if e.kind == attachments.CLINICAL_SERVICE)
    assert clinical.present and clinical.goals == ("b2",)
    assert clinical.pdf is not None and clinical.pdf().startswith(b"%PDF")
    assert all(not e.present and e.pdf is None for e in mine if e is not clinical)
    theirs = [e for e in evidence_of(goran.pk) if e.source == "plan"]
    assert [e.kind for e in theirs] == [attachments.SCIENCE]


def test_the_annual_report_lists_the_years_placements_work_and_meetings_p11_p13(sara, supervisor):
    add(sara.user, sara, goal_codes=["a1"])
    add(
        sara.user,
        sara,
        kind="quality_work",
        title="Journalgranskning",
        end_date=dt.date(2025, 3, 1),
    )
    add(supervisor, sara, kind="supervision", title="Halvårssamtal", start_date=dt.date(2025, 2, 3))
    add(
        sara.user,
        sara,
        title="Gammal placering",
        start_date=dt.date(2023, 1, 1),
        end_date=dt.date(2023, 6, 30),
    )
    section = next(
        s
        for s in year_sections(sara.pk, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
        if s.key == "plan"
    )
    text = "\n".join(section.lines)
    assert "Allmänmedicin" in text and "a1" in text
    assert "Journalgranskning" in text and "Halvårssamtal" in text
    assert "Gammal placering" not in text
    assert section.lines[0].startswith("Klinisk tjänstgöring")


def test_the_timeline_draws_every_source_in_its_own_lane_p11(sara):
    add(sara.user, sara)
    add(
        sara.user,
        sara,
        kind="research",
        title="Forskning",
        status="planned",
        start_date=dt.date(2027, 9, 1),
        end_date=dt.date(2027, 12, 31),
    )

    def secondments(trainee_id):
        if trainee_id != sara.pk:
            return []
        return [
            periods.Period(
                kind=periods.SECONDMENT,
                start=dt.date(2026, 1, 5),
                end=dt.date(2026, 4, 26),
                title="Internmedicin",
                source="zz-test",
                source_id=1,
            )
        ]

    periods.register_period_source("zz-test", secondments)
    try:
        found = selectors.timeline_of(sara, TODAY)
    finally:
        periods._SOURCES.pop("zz-test")
    lanes = [lane.kind for lane in found.drawing.lanes]
    assert lanes == [periods.PLACEMENT, periods.SECONDMENT, periods.RESEARCH]
    assert {marker.name for marker in found.drawing.markers} == {
        "today",
        "st_start",
        "planned_completion",
    }
    assert [label for _, label in found.rows] == [
        "Klinisk tjänstgöring",
        "Sidotjänstgöring",
        "Forskning",
    ]


def test_a_trainee_of_another_region_keeps_their_own_plan_p11(other_region):
    unit = factories.HomeUnitFactory(region=other_region)
    trainee = factories.TraineeFactory(home_unit=unit)
    item = add(trainee.user, trainee)
    assert selectors.get_item_for_user(trainee.user, item.pk) == item
