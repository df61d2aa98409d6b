"""Request and response shapes for attendance, results, registers and certificates (C17–C19,
Appendix A "Course leader endpoints" and "Certificates")."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.utils import timezone
from ninja import Schema
from pydantic import Field, model_validator

from stportal.api.types import Day, Id, NoteText
from stportal.attendance.selectors import ParticipantRow, RegisterView
from stportal.certificates.models import Certificate, CertificateForm
from stportal.certificates.selectors import BatchSummary, Verification

# --- attendance and results ------------------------------------------------------------------


# One request carries at most a register's worth: participants × course days.
MAX_RECORDS = 10_000


class AttendanceRecordIn(Schema):
    registration_id: Id
    date: Day
    present: bool
    note: NoteText = ""


class AttendanceIn(Schema):
    records: list[AttendanceRecordIn] = Field(min_length=1, max_length=MAX_RECORDS)


class ResultIn(Schema):
    registration_id: Id
    result: Literal["passed", "not_passed", "incomplete"] | None = None
    passed: bool | None = Field(
        None, description="Also accepted instead of `result`: true = passed, false = not_passed."
    )
    reason: NoteText = Field(
        "",
        description=(
            "Required to pass without full attendance; for `incomplete`, what must be made up."
        ),
    )

    @model_validator(mode="after")
    def _result_or_passed(self) -> ResultIn:
        from django.utils.translation import gettext as _

        if self.result is None and self.passed is None:
            raise ValueError(_("Give the result (passed, not_passed or incomplete)."))
        if self.result is not None and self.passed is not None:
            implied = "passed" if self.passed else "not_passed"
            if implied != self.result:
                raise ValueError(_("`result` and `passed` say different things."))
        return self

    @property
    def outcome(self) -> str:
        if self.result is not None:
            return self.result
        return "passed" if self.passed else "not_passed"


class ResultsIn(Schema):
    results: list[ResultIn] = Field(min_length=1, max_length=MAX_RECORDS)


class ReasonIn(Schema):
    reason: NoteText


class ParticipantOut(Schema):
    registration_id: int
    trainee_id: int
    name: str
    status: str
    attendance: dict[str, Literal["present", "absent"]]
    notes: dict[str, str] = Field(description="Notes on attendance, by date (only days with one).")
    result: Literal["passed", "not_passed", "incomplete"] | None
    result_reason: str
    makeup: str = Field(description="What an incomplete participant must (or had to) make up.")


def participant_out(row: ParticipantRow) -> dict[str, Any]:
    return {
        "registration_id": row.registration_id,
        "trainee_id": row.trainee_id,
        "name": row.name,
        "status": row.status,
        "attendance": {
            day.isoformat(): ("present" if record.present else "absent")
            for day, record in sorted(row.attendance.items())
        },
        "notes": {
            day.isoformat(): record.note
            for day, record in sorted(row.attendance.items())
            if record.note
        },
        "result": row.result,
        "result_reason": row.result_reason,
        "makeup": row.makeup,
    }


class MissingOut(Schema):
    registration_id: int
    name: str
    dates: list[dt.date]
    needs_result: bool


class RegisterOut(Schema):
    course_id: int
    course_title: str
    days: list[dt.date]
    closed: bool
    closed_at: dt.datetime | None
    reopened_at: dt.datetime | None
    reopen_reason: str
    missing: list[MissingOut] = Field(description="What closing still needs (C17).")
    participants: list[ParticipantOut]


def _local(value: dt.datetime | None) -> dt.datetime | None:
    return timezone.localtime(value) if value is not None else None


def register_out(view: RegisterView) -> dict[str, Any]:
    register = view.register
    return {
        "course_id": view.course.pk,
        "course_title": view.course.title,
        "days": view.days,
        "closed": view.closed,
        "closed_at": _local(register.closed_at) if register else None,
        "reopened_at": _local(register.reopened_at) if register else None,
        "reopen_reason": register.reopen_reason if register else "",
        "missing": [missing.as_dict() for missing in view.missing],
        "participants": [participant_out(row) for row in view.participants],
    }


# --- certificates -------------------------------------------------------------------------------


class CertificateOut(Schema):
    id: int
    registration_id: int
    course_id: int
    trainee_id: int
    trainee_name: str
    course_title: str
    curriculum_version: str
    verification_code: str
    verification_url: str
    state: Literal["issued", "printed", "signed", "handed_out", "posted", "revoked"]
    batch_id: int
    issued_at: dt.datetime
    printed_on: dt.date | None
    signed_on: dt.date | None
    handed_out_on: dt.date | None
    posted_on: dt.date | None
    revoked_at: dt.datetime | None
    revoke_reason: str
    reissue_of: int | None


def certificate_out(certificate: Certificate) -> dict[str, Any]:
    from stportal.certificates.services import verification_url

    line = certificate.line
    return {
        "id": certificate.pk,
        "registration_id": line.registration_id,
        "course_id": line.course_id,
        "trainee_id": line.registration.trainee_id,
        "trainee_name": certificate.trainee_name,
        "course_title": certificate.course_title,
        "curriculum_version": certificate.version,
        "verification_code": certificate.verification_code,
        "verification_url": verification_url(certificate.verification_code),
        "state": certificate.state,
        "batch_id": certificate.batch_id,
        "issued_at": _local(certificate.issued_at),
        "printed_on": certificate.printed_on,
        "signed_on": certificate.signed_on,
        "handed_out_on": certificate.handed_out_on,
        "posted_on": certificate.posted_on,
        "revoked_at": _local(certificate.revoked_at),
        "revoke_reason": certificate.revoke_reason,
        "reissue_of": certificate.reissue_of_id,
    }


class CertificateStateIn(Schema):
    state: Literal["printed", "signed", "handed_out", "posted"]
    date: Day | None = Field(None, description="The day it happened; today if omitted.")


class BatchOut(Schema):
    id: int
    course_id: int
    created_at: dt.datetime
    counts: dict[str, int] = Field(description="Certificates per state (C19).")


def batch_out(summary: BatchSummary) -> dict[str, Any]:
    return {
        "id": summary.batch.pk,
        "course_id": summary.batch.course_id,
        "created_at": _local(summary.batch.created_at),
        "counts": summary.counts,
    }


class VerificationOut(Schema):
    valid: bool
    revoked: bool
    trainee_name: str
    course_title: str
    issued_on: dt.date


def verification_out(verification: Verification) -> dict[str, Any]:
    return {
        "valid": verification.valid,
        "revoked": verification.revoked,
        "trainee_name": verification.trainee_name,
        "course_title": verification.course_title,
        "issued_on": verification.issued_on,
    }


class CertificateFormOut(Schema):
    id: int
    region_id: int | None  # None: the whole installation's form
    version: str
    filename: str
    size: int
    sha256: str
    uploaded_at: dt.datetime
    fields: list[str]
    removed: list[str]  # what was stripped from the upload (actions, links, files, scripts)


def certificate_form_out(form: CertificateForm) -> dict[str, Any]:
    return {
        "id": form.pk,
        "region_id": form.region_id,
        "version": form.version,
        "filename": form.filename,
        "size": form.size,
        "sha256": form.sha256,
        "uploaded_at": _local(form.uploaded_at),
        "fields": list(form.fields),
        "removed": list(form.removed),
    }
