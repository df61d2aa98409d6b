"""The start page (one page, a section per role the person holds) and the health check."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from stportal.accounts.models import STAFF_ROLES, Area, Role, RoleAssignment, TraineeProfile, User
from stportal.accounts.roles import managed_units, roles_of
from stportal.accounts.services import set_own_language
from stportal.core import permissions
from stportal.core.dates import local_date
from stportal.core.forms import BarrierReportForm
from stportal.core.services import report_barrier
from stportal.core.waiting import waiting_for
from stportal.courses.models import Course, CourseWeek
from stportal.courses.states import StoredState, WeekState


@dataclass(frozen=True)
class Link:
    label: Any
    url: str


@dataclass(frozen=True)
class RoleLine:
    """A role in words and where it is held ("studierektor, Umeå (Region Västerbotten)")."""

    label: Any
    scope: str


@dataclass(frozen=True)
class WeekRow:
    week: CourseWeek
    state: str
    state_label: Any
    courses: list[Course]
    admin_url: str
    registration: str  # "open", "not_yet" (published, invitation ahead) or ""


# The back-office sections a course admin or regional study director starts from. A link is
# shown only when the admin has that section (`admin:<app>_<model>_changelist`).
STAFF_ADMIN_SECTIONS = (
    (_("Course weeks"), "admin:courses_courseweek_changelist"),
    (_("Course series"), "admin:courses_courseseries_changelist"),
    (_("Home units"), "admin:accounts_homeunit_changelist"),
    (_("Trainees"), "admin:accounts_traineeprofile_changelist"),
    (_("Role assignments"), "admin:accounts_roleassignment_changelist"),
)


def _reverse_or_empty(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def formatted_personal_id(stored: str) -> str:
    """The owner's own number in full, YYYYMMDD-NNNC."""
    return f"{stored[:8]}-{stored[8:]}" if len(stored) == 12 else stored


# The order roles are listed in: the widest responsibility first.
ROLE_ORDER = (
    Role.COURSE_ADMIN,
    Role.REGIONAL_STUDY_DIRECTOR,
    Role.STUDY_DIRECTOR,
    Role.COURSE_LEADER,
    Role.SUPERVISOR,
    Role.UNIT_MANAGER,
    Role.TRAINEE,
)


def _scope(assignment: RoleAssignment) -> str:
    place = assignment.home_unit or assignment.area
    return f"{place} ({assignment.region})" if place else str(assignment.region)


def _role_lines(user: User, roles: set[str]) -> list[RoleLine]:
    """Each role in words with where it is held ("verksamhetschef: Hälsocentralen Ersboda,
    Hälsocentralen Ålidhem"); roles that come from links (supervisor, course leader) too."""
    assignments = list(
        RoleAssignment.objects.filter(user=user)
        .select_related("region", "area", "home_unit")
        .order_by("region__name", "area__name", "home_unit__name")
    )
    lines = []
    for role in ROLE_ORDER:
        scopes = [_scope(a) for a in assignments if a.role == role]
        if scopes or role in roles:
            lines.append(RoleLine(role.label, "; ".join(scopes)))
    return lines


def _week_rows(weeks: list[CourseWeek], *, with_admin_links: bool) -> list[WeekRow]:
    now = timezone.now()
    today = local_date(now)
    rows = []
    for week in weeks:
        state = week.state_at(now)
        registration = ""
        if state == WeekState.PUBLISHED:
            registration = "open" if week.invitation_date <= today else "not_yet"
        rows.append(
            WeekRow(
                week=week,
                state=state,
                state_label=WeekState(state).label,
                courses=list(week.courses.all()),
                admin_url=(
                    _reverse_or_empty("admin:courses_courseweek_change", week.pk)
                    if with_admin_links
                    else ""
                ),
                registration=registration,
            )
        )
    return rows


def _weeks_of_regions(region_ids: list[int], *, published_only: bool) -> list[CourseWeek]:
    weeks = (
        CourseWeek.objects.filter(series__region_id__in=region_ids)
        .select_related("series__region")
        .prefetch_related(
            Prefetch(
                "courses",
                queryset=Course.objects.filter(removed_at__isnull=True)
                .order_by("position", "id")
                .prefetch_related("goals"),
            )
        )
        .order_by("start_date", "title")
    )
    if published_only:
        weeks = weeks.exclude(stored_state=StoredState.DRAFT)
    return list(weeks)


def _staff_section(user: User) -> dict[str, Any]:
    region_ids = list(
        RoleAssignment.objects.filter(user=user, role__in=STAFF_ROLES).values_list(
            "region_id", flat=True
        )
    )
    links = []
    can_use_admin = permissions.can_use_admin(user)
    if can_use_admin:
        links.append(Link(_("Administration home"), reverse("admin:index")))
        for label, name in STAFF_ADMIN_SECTIONS:
            url = _reverse_or_empty(name)
            if url:
                links.append(Link(label, url))
    links.append(Link(_("API documentation"), "/api/v1/docs"))
    return {
        "links": links,
        "weeks": _week_rows(
            _weeks_of_regions(region_ids, published_only=False), with_admin_links=can_use_admin
        ),
    }


def _trainee_section(user: User) -> dict[str, Any] | None:
    profile = (
        TraineeProfile.objects.filter(user=user)
        .select_related(
            "specialty",
            "curriculum_version",
            "home_unit__area",
            "home_unit__region",
            "supervisor",
            "study_director",
        )
        .first()
    )
    if profile is None:
        return None
    rows = _week_rows(
        _weeks_of_regions([profile.home_unit.region_id], published_only=True),
        with_admin_links=False,
    )
    # What is ahead first, in date order; then what is over, the latest first.
    over = {WeekState.FINISHED, WeekState.CANCELLED}
    ahead = [row for row in rows if row.state not in over]
    past = [row for row in rows if row.state in over]
    return {
        "profile": profile,
        "personal_id": formatted_personal_id(profile.personal_id),
        "weeks": ahead + past[::-1],
    }


def _led_courses(user: User) -> list[dict[str, Any]]:
    now = timezone.now()
    courses = (
        Course.objects.filter(leaders=user, removed_at__isnull=True)
        .select_related("week__series")
        .prefetch_related("days")
        .order_by("week__start_date", "position", "id")
    )
    return [
        {
            "course": course,
            "days": [day.date for day in course.days.all()],
            "state": (state := course.week.state_at(now)),
            "state_label": WeekState(state).label,
        }
        for course in courses
    ]


def _supervised(user: User) -> list[TraineeProfile]:
    return list(
        TraineeProfile.objects.filter(supervisor=user)
        .select_related("user", "specialty", "curriculum_version", "home_unit")
        .order_by("user__last_name", "user__first_name", "pk")
    )


def _director_areas(user: User) -> list[dict[str, Any]]:
    """Each area (or whole region) the person directs studies in, with its trainee count."""
    assignments = RoleAssignment.objects.filter(user=user, role=Role.STUDY_DIRECTOR)
    area_ids = [a for a in assignments.values_list("area_id", flat=True) if a is not None]
    region_wide = list(
        assignments.filter(area__isnull=True).select_related("region").order_by("region__name")
    )
    rows = [
        {"name": area.name, "region": area.region.name, "count": area.trainee_count}
        for area in Area.objects.filter(pk__in=area_ids)
        .select_related("region")
        .annotate(trainee_count=Count("home_units__trainees", distinct=True))
        .order_by("region__name", "name")
    ]
    if region_wide:
        counts = dict(
            TraineeProfile.objects.filter(home_unit__region__in=[a.region for a in region_wide])
            .values_list("home_unit__region")
            .annotate(n=Count("pk"))
        )
        rows += [
            {"name": "", "region": a.region.name, "count": counts.get(a.region_id, 0)}
            for a in region_wide
        ]
    return rows


def _managed_units(user: User) -> list[Any]:
    return list(
        managed_units(user)
        .select_related("area", "region")
        .annotate(trainee_count=Count("trainees", distinct=True))
        .order_by("name")
    )


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    roles = roles_of(user)
    # A section shows when its key is not None: one section per role held.
    context: dict[str, Any] = {
        "role_lines": _role_lines(user, roles),
        "waiting": waiting_for(user),
        "is_course_staff": bool(roles & {str(r) for r in STAFF_ROLES}),
        "staff": None,
        "trainee": None,
        "led_courses": None,
        "supervised": None,
        "director_areas": None,
        "units": None,
    }
    if context["is_course_staff"]:
        context["staff"] = _staff_section(user)
    if Role.TRAINEE in roles:
        context["trainee"] = _trainee_section(user)
    if Role.COURSE_LEADER in roles:
        context["led_courses"] = _led_courses(user)
    if Role.SUPERVISOR in roles:
        context["supervised"] = _supervised(user)
    if Role.STUDY_DIRECTOR in roles:
        context["director_areas"] = _director_areas(user)
    if Role.UNIT_MANAGER in roles:
        context["units"] = _managed_units(user)
    return render(request, "core/home.html", context)


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The header's language switch: Django's own view (CSRF, a `next` on this site only, the
    language cookie), and for a logged-in person also the language of their e-mail (C22)."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in {code for code, _name in settings.LANGUAGES}:
        set_own_language(actor=request.user, language=language)
    return response


# Reports a single address may send per hour: enough for a ward sharing one address, few enough
# that the form cannot be used to fill the database.
BARRIER_REPORTS_PER_HOUR = 30
# When the statement below was last reviewed against the product (the DOS law asks for it).
ACCESSIBILITY_STATEMENT_DATE = dt.date(2026, 12, 7)


def _may_report_barrier(request: HttpRequest) -> bool:
    key = f"barrier-report:{request.META.get('REMOTE_ADDR', '')}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, timeout=3600)
        count = 1
    return count <= BARRIER_REPORTS_PER_HOUR


def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement (tillgänglighetsredogörelse, the DOS law): public, with a
    form to report a barrier, which is kept and confirmed on the page."""
    form = BarrierReportForm(request.POST or None, initial={"page": request.GET.get("sida", "")})
    if request.method == "POST":
        if not _may_report_barrier(request):
            form.add_error(
                None, _("Too many reports from your network in the last hour. Try again later.")
            )
        elif form.is_valid():
            report_barrier(
                actor=request.user,
                page=form.cleaned_data["page"],
                description=form.cleaned_data["description"],
                email=form.cleaned_data["email"],
                language=get_language() or "",
            )
            messages.success(
                request,
                _(
                    "Thank you: your report is received. We read every report, and answer "
                    "you if you gave your e-mail address."
                ),
            )
            return redirect(reverse("accessibility") + "#report-heading")
    return render(
        request,
        "core/accessibility.html",
        {
            "form": form,
            "contact": settings.ACCESSIBILITY_CONTACT,
            "statement_date": ACCESSIBILITY_STATEMENT_DATE,
        },
        status=422 if request.method == "POST" else 200,
    )


def healthz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return JsonResponse({"status": "database_unreachable"}, status=503)
    return JsonResponse({"status": "ok"})
