"""Who may do what with funding applications (SPEC 2, SPEC 5 P3), built on the record's rules
in `stportal.accounts.permissions`. Pages, API and services all ask here.

- The trainee applies for themself; staff of the trainee's region may apply on their behalf.
- Whoever may read the trainee's record reads the application (the trainee, the supervisor,
  the study directors, staff of the region).
- The study director of the trainee's area (or named on the record) and the regional study
  director decide it; never the trainee.
- The trainee (or staff of the region) attaches the course certificate.
- Staff of a region see the region's spending.
"""

from __future__ import annotations

from stportal.accounts.models import TraineeProfile, User
from stportal.accounts.permissions import may_direct_record, may_read_record
from stportal.core.permissions import staff_region_ids
from stportal.funding.models import FundingApplication


def _is_self(actor: User | None, profile: TraineeProfile) -> bool:
    return actor is not None and actor.is_active and actor.pk == profile.user_id


def _staff_of(actor: User | None, profile: TraineeProfile) -> bool:
    return actor is None or profile.home_unit.region_id in staff_region_ids(actor)


def may_apply(actor: User | None, profile: TraineeProfile) -> bool:
    """Apply for funds for this trainee: the trainee, or staff of the region."""
    return _is_self(actor, profile) or _staff_of(actor, profile)


def may_read_application(actor: User | None, application: FundingApplication) -> bool:
    return may_read_record(actor, application.trainee)


def may_decide(actor: User | None, application: FundingApplication) -> bool:
    """Approve or reject, and grant the exception for an other provider."""
    return may_direct_record(actor, application.trainee)


def may_attach_certificate(actor: User | None, application: FundingApplication) -> bool:
    return _is_self(actor, application.trainee) or _staff_of(actor, application.trainee)


def spending_region_ids(actor: User | None) -> frozenset[int]:
    """The regions whose spending the person sees (staff: course admins and regional study
    directors)."""
    return staff_region_ids(actor)
