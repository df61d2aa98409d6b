"""The services of secondments (SPEC 5 P7), the training allowance (P8) and credited service
(P9): who may, what is checked, the default length, the mandatory flag, the credited months
kept equal to the decisions in force, and the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest

from stportal.core.errors import NotFound, PermissionDenied, ServiceError, ValidationFailed
from stportal.core.models import AuditEvent
from stportal.core.periods import SECONDMENT, periods_of
from stportal.core.yearly import year_sections
from stportal.secondments import selectors, services
from stportal.secondments.models import Allowance, Secondment, SecondmentKind, ServiceCredit
from stportal.secondments.tests.conftest import NOW

START = dt.date(2027, 6, 7)


def plan(actor, trainee, **changes):
    values = {
        "kind": "internal_medicine",
        "place": "Medicinkliniken, Sahlgrenska",
        "start_date": START,
        "now": NOW,
    }
    values.update(changes)
    return services.plan_secondment(actor=actor, trainee=trainee, **values)


def test_the_trainee_plans_a_secondment_and_the_default_length_fills_the_end_p7(sara):
    secondment = plan(sara.user, sara)
    assert secondment.end_date == dt.date(2027, 9, 26)  # 16 weeks
    assert secondment.end_from_default
    assert secondment.mandatory  # allmänmedicin requires internal medicine
    event = AuditEvent.objects.get(action="secondment.planned")
    assert event.actor_id == sara.user_id
    assert event.after["end_date"] == "2027-09-26"


def test_the_psychiatry_secondment_is_missing_until_planned_p7(sara, supervisor):
    plan(supervisor, sara)
    found = selectors.plan_of(sara)
    assert [k.code for k in found.required] == ["internal_medicine", "psychiatry"]
    assert [k.code for k in found.missing] == ["psychiatry"]
    plan(supervisor, sara, kind="psychiatry", start_date=dt.date(2027, 10, 4))
    assert selectors.plan_of(sara).missing == []


def test_an_other_kind_added_by_staff_is_not_mandatory_and_takes_its_given_end_p7(
    sara, study_director
):
    SecondmentKind.objects.create(
        code="paediatrics", name="Barnmedicin", name_en="Paediatrics", default_weeks=8
    )
    secondment = plan(
        study_director, sara, kind="paediatrics", end_date=dt.date(2027, 7, 2), note="Frivillig"
    )
    assert not secondment.mandatory and not secondment.end_from_default
    assert secondment.end_date == dt.date(2027, 7, 2)


def test_who_plans_a_secondment_p7(
    sara,
    supervisor,
    other_supervisor,
    study_director,
    other_study_director,
    course_admin,
    other_trainee,
):
    for actor in (sara.user, supervisor, study_director, course_admin):
        Secondment.objects.all().delete()
        plan(actor, sara)
    for outsider in (other_supervisor, other_study_director, other_trainee.user):
        with pytest.raises(NotFound):
            plan(outsider, sara, start_date=dt.date(2028, 1, 3))


def test_refused_secondments_p7(sara):
    with pytest.raises(ValidationFailed) as unknown:
        plan(sara.user, sara, kind="astrology", place="")
    assert set(unknown.value.fields) == {"kind", "place"}
    with pytest.raises(ValidationFailed) as backwards:
        plan(sara.user, sara, end_date=START - dt.timedelta(days=1))
    assert "end_date" in backwards.value.fields
    with pytest.raises(ValidationFailed) as far:
        plan(sara.user, sara, start_date=dt.date(1999, 12, 31))
    assert "start_date" in far.value.fields
    plan(sara.user, sara)
    with pytest.raises(ValidationFailed) as overlap:
        plan(sara.user, sara, kind="psychiatry", start_date=START + dt.timedelta(days=30))
    assert "start_date" in overlap.value.fields
    assert Secondment.objects.count() == 1


def test_changing_the_start_moves_a_default_end_and_a_given_end_stays_p7(sara, supervisor):
    secondment = plan(sara.user, sara)
    moved = services.change_secondment(
        actor=supervisor, secondment=secondment, start_date=dt.date(2027, 8, 2)
    )
    assert moved.end_date == dt.date(2027, 11, 21) and moved.end_from_default
    fixed = services.change_secondment(
        actor=supervisor, secondment=secondment, end_date=dt.date(2027, 11, 30)
    )
    assert fixed.end_date == dt.date(2027, 11, 30) and not fixed.end_from_default
    again = services.change_secondment(actor=supervisor, secondment=secondment, place="NÄL")
    assert again.end_date == dt.date(2027, 11, 30) and again.place == "NÄL"
    assert AuditEvent.objects.filter(action="secondment.changed").count() == 3


def test_removing_a_secondment_keeps_it_in_the_audit_trail_p7(sara, other_supervisor):
    secondment = plan(sara.user, sara)
    with pytest.raises(NotFound):
        services.remove_secondment(actor=other_supervisor, secondment=secondment)
    services.remove_secondment(actor=sara.user, secondment=secondment)
    assert not Secondment.objects.exists()
    event = AuditEvent.objects.get(action="secondment.removed")
    assert event.before["place"] == "Medicinkliniken, Sahlgrenska"


def test_secondments_are_periods_of_the_st_and_a_section_of_the_year_p7(sara):
    secondment = plan(sara.user, sara)
    found = [p for p in periods_of(sara.pk) if p.source == "secondment"]
    assert len(found) == 1
    assert found[0].kind == SECONDMENT
    assert (found[0].start, found[0].end) == (START, dt.date(2027, 9, 26))
    assert found[0].source_id == secondment.pk
    sections = {
        s.key: s for s in year_sections(sara.pk, dt.date(2027, 1, 1), dt.date(2027, 12, 31))
    }
    assert len(sections["secondments"].lines) == 1
    assert "Medicinkliniken, Sahlgrenska" in sections["secondments"].lines[0]
    empty = {s.key: s for s in year_sections(sara.pk, dt.date(2026, 1, 1), dt.date(2026, 12, 31))}
    assert empty["secondments"].lines == []


def test_the_study_director_or_staff_record_the_allowance_p8(
    sara, supervisor, study_director, other_study_director, course_admin
):
    with pytest.raises(PermissionDenied):
        services.record_allowance(
            actor=sara.user,
            trainee=sara,
            queue_position=1,
            months_paid=0,
            secondment_months_paid=0,
        )
    with pytest.raises(PermissionDenied):
        services.record_allowance(
            actor=supervisor,
            trainee=sara,
            queue_position=1,
            months_paid=0,
            secondment_months_paid=0,
        )
    with pytest.raises(NotFound):
        services.record_allowance(
            actor=other_study_director,
            trainee=sara,
            queue_position=1,
            months_paid=0,
            secondment_months_paid=0,
        )
    services.record_allowance(
        actor=study_director,
        trainee=sara,
        queue_position=4,
        months_paid=20,
        secondment_months_paid=6,
        now=NOW,
    )
    found = services.record_allowance(
        actor=course_admin,
        trainee=sara,
        queue_position=None,
        months_paid=21,
        secondment_months_paid=6,
        now=NOW,
    )
    assert Allowance.objects.get() == found
    assert (found.queue_position, found.months_paid) == (None, 21)
    events = list(AuditEvent.objects.filter(action="allowance.recorded").order_by("pk"))
    assert len(events) == 2
    assert events[1].before["months_paid"] == 20 and events[1].after["months_paid"] == 21


def test_refused_allowances_p8(sara, study_director):
    with pytest.raises(ValidationFailed) as refused:
        services.record_allowance(
            actor=study_director,
            trainee=sara,
            queue_position=0,
            months_paid=61,
            secondment_months_paid=19,
        )
    assert set(refused.value.fields) == {"queue_position", "months_paid", "secondment_months_paid"}
    with pytest.raises(ValidationFailed) as more:
        services.record_allowance(
            actor=study_director,
            trainee=sara,
            queue_position=None,
            months_paid=2,
            secondment_months_paid=3,
        )
    assert set(more.value.fields) == {"secondment_months_paid"}
    assert not Allowance.objects.exists()


def test_the_allowance_warns_when_the_plan_needs_more_than_is_left_p8(sara, study_director):
    services.record_allowance(
        actor=study_director,
        trainee=sara,
        queue_position=None,
        months_paid=40,
        secondment_months_paid=15,
    )
    plan(sara.user, sara)  # 16 weeks of internal medicine: 4 months, 3 left
    view = selectors.allowance_of(sara, list(selectors.secondments_of(sara)), NOW.date())
    assert view.status.months_left == 20 and view.status.secondment_months_left == 3
    assert view.status.months_needed == 36  # to 2030-04-11
    assert view.status.secondment_months_needed == 4
    assert view.status.months_short == 16 and view.status.secondment_months_short == 1


def test_credit_decisions_keep_the_credited_months_p9(
    sara, study_director, other_study_director, supervisor
):
    with pytest.raises(PermissionDenied):
        services.credit_prior_service(
            actor=supervisor,
            trainee=sara,
            period_start=dt.date(2024, 1, 1),
            period_end=dt.date(2024, 12, 31),
            months=6,
        )
    with pytest.raises(NotFound):
        services.credit_prior_service(
            actor=other_study_director,
            trainee=sara,
            period_start=dt.date(2024, 1, 1),
            period_end=dt.date(2024, 12, 31),
            months=6,
        )
    first = services.credit_prior_service(
        actor=study_director,
        trainee=sara,
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2024, 12, 31),
        months=6,
        comment="Vikariat på vårdcentral",
        now=NOW,
    )
    services.credit_prior_service(
        actor=study_director,
        trainee=sara,
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 6, 30),
        months=3,
        now=NOW,
    )
    sara.refresh_from_db()
    assert sara.credited_months == 9
    services.withdraw_service_credit(actor=study_director, credit=first, reason="Fel period")
    sara.refresh_from_db()
    assert sara.credited_months == 3
    assert ServiceCredit.objects.count() == 2  # the history is kept
    with pytest.raises(ServiceError) as twice:
        services.withdraw_service_credit(actor=study_director, credit=first, reason="Igen")
    assert twice.value.code == "already_withdrawn"
    changes = list(
        AuditEvent.objects.filter(action="trainee.credited_months_changed").order_by("pk")
    )
    assert [(e.before["credited_months"], e.after["credited_months"]) for e in changes] == [
        (0, 6),
        (6, 9),
        (9, 3),
    ]


def test_refused_credits_p9(sara, study_director):
    with pytest.raises(ValidationFailed) as refused:
        services.credit_prior_service(
            actor=study_director,
            trainee=sara,
            period_start=dt.date(2024, 2, 1),
            period_end=dt.date(2024, 1, 1),
            months=0,
            comment="\x00",
        )
    assert set(refused.value.fields) == {"period_end", "months", "comment"}
    first = services.credit_prior_service(
        actor=study_director,
        trainee=sara,
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2024, 2, 1),
        months=1,
    )
    with pytest.raises(ValidationFailed):
        services.withdraw_service_credit(actor=study_director, credit=first, reason=" ")
    with pytest.raises(PermissionDenied):
        services.withdraw_service_credit(actor=sara.user, credit=first, reason="Nej")
    sara.refresh_from_db()
    assert sara.credited_months == 1
