"""What the audit trail never keeps (SPEC 7: personal identity numbers, health data,
password and token hashes), decided in `audit.record` itself."""

from __future__ import annotations

import pytest

from stportal.core import audit
from stportal.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_personal_identity_numbers_are_kept_as_the_birth_date_only(trainee):
    event = audit.record(
        actor=None,
        action="x.changed",
        obj=trainee,
        before={"personal_id": "198112189876"},
        after={"personal_id": "19811218-9876", "nested": {"personal_id": "8112189876"}},
    )
    event = AuditEvent.objects.get(pk=event.pk)
    assert event.before == {"personal_id": "19811218-****"}
    assert event.after["personal_id"] == "19811218-****"
    assert event.after["nested"]["personal_id"] == "19811218-****"
    assert "9876" not in str(event.before) + str(event.after)


def test_dietary_needs_are_hidden_but_whether_they_changed_is_kept(trainee):
    changed = audit.record(
        actor=None,
        action="registration.changed",
        obj=trainee,
        before={"dietary_needs": "Glutenfri", "note": "a"},
        after={"dietary_needs": "Laktosfri, celiaki", "note": "b"},
    )
    same = audit.record(
        actor=None,
        action="registration.changed",
        obj=trainee,
        before={"dietary_needs": "Glutenfri"},
        after={"dietary_needs": "Glutenfri"},
    )
    cleared = audit.record(
        actor=None,
        action="registration.changed",
        obj=trainee,
        before={"dietary_needs": "Glutenfri"},
        after={"dietary_needs": ""},
    )
    stored = {e.pk: e for e in AuditEvent.objects.all()}
    assert stored[changed.pk].before == {"dietary_needs": audit.HIDDEN, "note": "a"}
    assert stored[changed.pk].after == {"dietary_needs": audit.CHANGED, "note": "b"}
    assert stored[same.pk].before == stored[same.pk].after == {"dietary_needs": audit.HIDDEN}
    assert stored[cleared.pk].after == {"dietary_needs": ""}
    assert "Glutenfri" not in str([(e.before, e.after) for e in stored.values()])


def test_password_and_token_hashes_are_never_stored(course_admin):
    event = audit.record(
        actor=None,
        action="user.changed",
        obj=course_admin,
        before=audit.snapshot(course_admin),
        after={"digest": "abc", "token": "stp_x", "email": "a@example.org"},
    )
    event = AuditEvent.objects.get(pk=event.pk)
    assert "password" not in event.before
    assert course_admin.password not in str(event.before)
    assert event.after == {"email": "a@example.org"}


def test_the_staff_history_of_a_registration_shows_dietary_needs_as_changed(trainee):
    from stportal.registrations.staff_views import audit_value

    assert audit_value("dietary_needs", audit.CHANGED) == "(ändrad)"
    assert audit_value("dietary_needs", audit.HIDDEN) == "(dold)"
