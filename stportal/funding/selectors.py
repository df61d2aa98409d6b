"""Reads of funding applications with a business meaning (P3): what a person may see, the
invoicing details of an approved application, the yearly limit, spending per area and year,
and what the applications add to coverage and to what waits for a person.

An application outside the caller's reach and an unknown one answer alike: `NotFound`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stportal.accounts.models import Area, TraineeProfile, User
from stportal.accounts.permissions import directed_trainees, readable_trainees
from stportal.catalogue.models import ExternalCourse
from stportal.core.dates import local_date
from stportal.core.errors import NotFound
from stportal.core.waiting import Waiting
from stportal.curricula.coverage import EXTERNAL_COURSE, Covering
from stportal.curricula.models import Goal, MandatorySubject
from stportal.funding import permissions, rules
from stportal.funding.models import (
    AreaFundingSettings,
    FundingApplication,
    FundingCost,
    FundingStatus,
)


def applications() -> QuerySet[FundingApplication]:
    """Applications with what their pages and the API show, in a constant number of queries."""
    return (
        FundingApplication.objects.select_related(
            "trainee__user",
            "trainee__home_unit",
            "area",
            "area__funding_settings",
            "decided_by",
            "submitted_by",
            "course",
        )
        .defer("certificate_pdf")
        .prefetch_related(
            Prefetch("costs", queryset=FundingCost.objects.order_by("id")),
            Prefetch("goals", queryset=Goal.objects.order_by("position", "code")),
            Prefetch("subjects", queryset=MandatorySubject.objects.order_by("position")),
        )
    )


def readable_applications(user: User | None) -> QuerySet[FundingApplication]:
    """The applications of every trainee whose record `user` may read (their own too)."""
    return applications().filter(trainee__in=readable_trainees(user))


def own_applications(user: User) -> QuerySet[FundingApplication]:
    return applications().filter(trainee__user=user)


def to_decide(user: User | None) -> QuerySet[FundingApplication]:
    """Submitted applications of the trainees `user` directs, oldest first."""
    return (
        applications()
        .filter(trainee__in=directed_trainees(user), status=FundingStatus.SUBMITTED)
        .order_by("submitted_at", "id")
    )


def decides_any(user: User | None) -> bool:
    return directed_trainees(user).exists()


def get_application_for_user(user: User | None, application_id: int) -> FundingApplication:
    application = applications().filter(pk=application_id).first()
    if application is None or not permissions.may_read_application(user, application):
        raise NotFound()
    return application


def certificate_bytes(application: FundingApplication) -> bytes | None:
    value = (
        FundingApplication.objects.filter(pk=application.pk)
        .values_list("certificate_pdf", flat=True)
        .first()
    )
    return bytes(value) if value is not None else None


def total_of(application: FundingApplication) -> int:
    return rules.total(cost.amount for cost in application.costs.all())


def settings_of(area: Area | None) -> AreaFundingSettings | None:
    if area is None:
        return None
    # The reverse one-to-one accessor (cached when the caller selected it) raises a subclass of
    # AttributeError when the area has no settings row.
    settings: AreaFundingSettings | None = getattr(area, "funding_settings", None)
    return settings


@dataclass(frozen=True)
class Invoice:
    """What the provider needs to invoice the trainee's area."""

    area: str
    address: str
    purchaser_id: str
    gln: str = ""
    organisation_number: str = ""
    customer_number: str = ""
    vat_registration_number: str = ""
    vat_number: str = ""
    bank: str = ""
    bic: str = ""

    def identifiers(self) -> list[tuple[str, str]]:
        """The electronic-invoicing identifiers that are set, with their labels."""
        pairs = [
            (_("GLN address"), self.gln),
            (_("Organisation number"), self.organisation_number),
            (_("Customer number (I-kundnr)"), self.customer_number),
            (_("VAT registration number"), self.vat_registration_number),
            (_("VAT number"), self.vat_number),
            (_("Bank"), self.bank),
            (_("BIC/SWIFT"), self.bic),
        ]
        return [(label, value) for label, value in pairs if value]


def invoice_of(application: FundingApplication) -> Invoice | None:
    """The invoicing details of an approved application; None for any other."""
    if application.status != FundingStatus.APPROVED or application.area is None:
        return None
    area = application.area
    found = settings_of(area)
    extra = {}
    if found is not None:
        extra = {
            name: getattr(found, name)
            for name in (
                "gln",
                "organisation_number",
                "customer_number",
                "vat_registration_number",
                "vat_number",
                "bank",
                "bic",
            )
        }
    return Invoice(
        area=area.name, address=area.invoice_address, purchaser_id=area.purchaser_id, **extra
    )


def yearly_limit_of(application: FundingApplication) -> rules.YearlyLimit:
    """The trainee's approved and submitted applications of the application's year against
    their area's limit (a warning, never a refusal)."""
    year = application.start_date.year
    found = settings_of(application.area)
    total = (
        FundingCost.objects.filter(
            application__trainee_id=application.trainee_id,
            application__start_date__year=year,
            application__status__in=[FundingStatus.SUBMITTED, FundingStatus.APPROVED],
        ).aggregate(total=Sum("amount"))["total"]
        or 0
    )
    return rules.yearly_limit(year, [total], found.yearly_limit if found else None)


def yearly_limits(items: Collection[FundingApplication]) -> dict[int, rules.YearlyLimit]:
    """`yearly_limit_of` for many applications in one query."""
    if not items:
        return {}
    trainees = {a.trainee_id for a in items}
    years = {a.start_date.year for a in items}
    totals: dict[tuple[int, int], int] = defaultdict(int)
    rows = FundingCost.objects.filter(
        application__trainee_id__in=trainees,
        application__start_date__year__in=years,
        application__status__in=[FundingStatus.SUBMITTED, FundingStatus.APPROVED],
    ).values_list("application__trainee_id", "application__start_date", "amount")
    for trainee_id, start, amount in rows:
        totals[(trainee_id, start.year)] += amount
    found = {}
    for a in items:
        limit = settings_of(a.area)
        found[a.pk] = rules.yearly_limit(
            a.start_date.year,
            [totals[(a.trainee_id, a.start_date.year)]],
            limit.yearly_limit if limit else None,
        )
    return found


def spending_rows(user: User | None, year: int | None = None) -> list[rules.SpendingRow]:
    """Approved spending per area and year in the person's staff regions."""
    costs = FundingCost.objects.filter(
        application__status=FundingStatus.APPROVED,
        application__region_id__in=permissions.spending_region_ids(user),
    )
    if year is not None:
        costs = costs.filter(application__start_date__year=year)
    rows = costs.values_list(
        "application__area__name",
        "application__region__name",
        "application__start_date",
        "application_id",
        "kind",
        "amount",
    )
    none = _("(no area)")
    return rules.spending(
        (area or f"{region} {none}", start.year, application_id, kind, amount)
        for area, region, start, application_id, kind, amount in rows
    )


# --- What the applications add to coverage and to what waits ----------------------------


def coverage_items(trainee_ids: Collection[int]) -> dict[int, list[Covering]]:
    """Approved applications with their certificate attached, as external courses (P1)."""
    found: dict[int, list[Covering]] = defaultdict(list)
    rows = (
        FundingApplication.objects.filter(
            trainee_id__in=list(trainee_ids),
            status=FundingStatus.APPROVED,
            certificate_uploaded_at__isnull=False,
        )
        .only("pk", "trainee_id", "course_title", "start_date", "end_date")
        .prefetch_related(
            Prefetch("goals", queryset=Goal.objects.only("pk", "code")),
            Prefetch("subjects", queryset=MandatorySubject.objects.only("pk")),
        )
        .order_by("start_date", "id")
    )
    for application in rows:
        found[application.trainee_id].append(
            Covering(
                kind=EXTERNAL_COURSE,
                id=application.pk,
                title=application.course_title,
                goal_codes=frozenset(g.code for g in application.goals.all()),
                subject_ids=frozenset(s.pk for s in application.subjects.all()),
                on=application.end_date or application.start_date,
            )
        )
    return dict(found)


def waiting_items(user: User) -> list[Waiting]:
    """Applications waiting for this director's decision; the trainee's approved courses that
    are over and still lack their certificate."""
    found = []
    deciding = FundingApplication.objects.filter(
        trainee__in=directed_trainees(user), status=FundingStatus.SUBMITTED
    ).count()
    if deciding:
        found.append(
            Waiting(
                label=ngettext(
                    "%(count)d funding application waits for your decision.",
                    "%(count)d funding applications wait for your decision.",
                    deciding,
                )
                % {"count": deciding},
                count=deciding,
                url=reverse("funding:to_decide"),
                order=30,
            )
        )
    today = local_date(timezone.now())
    missing = FundingApplication.objects.filter(
        Q(end_date__lt=today) | Q(end_date__isnull=True, start_date__lt=today),
        trainee__user=user,
        status=FundingStatus.APPROVED,
        certificate_uploaded_at__isnull=True,
    ).count()
    if missing:
        found.append(
            Waiting(
                label=ngettext(
                    "Attach the course certificate of %(count)d approved course.",
                    "Attach the course certificates of %(count)d approved courses.",
                    missing,
                )
                % {"count": missing},
                count=missing,
                url=reverse("funding:mine"),
                order=60,
            )
        )
    return found


def course_choices(profile: TraineeProfile | None, today: dt.date):
    """Catalogue courses of the trainee's region a new application may start from."""
    if profile is None:
        return ExternalCourse.objects.none()
    return (
        ExternalCourse.objects.filter(provider__region_id=profile.home_unit.region_id)
        .filter(Q(start_date__isnull=True) | Q(start_date__gte=today))
        .select_related("provider")
        .order_by("start_date", "title")
    )
