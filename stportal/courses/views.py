"""The trainee's side of the course programme: the catalogue, a week, the information page
(C3–C7, C21). Views stay thin: reads come from selectors, nothing here writes."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import pgettext

from stportal.accounts.models import Region
from stportal.accounts.selectors import member_region_ids
from stportal.core.errors import NotFound
from stportal.courses import permissions
from stportal.courses.selectors import get_course_week_for_user
from stportal.registrations import page_selectors


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    """C4: the upcoming published weeks of the person's region(s), seats left per course."""
    now = timezone.now()
    weeks = page_selectors.catalogue(request.user, now=now)
    return render(request, "courses/catalogue.html", {"weeks": weeks, "now": now})


@login_required
def week(request: HttpRequest, week_id: int) -> HttpResponse:
    """C3, C5, C7: one week, its courses and goals in the person's own curriculum version,
    and whether (or why not) the person can register now."""
    try:
        found = get_course_week_for_user(request.user, week_id)
    except NotFound as exc:
        raise Http404 from exc
    now = timezone.now()
    view = page_selectors.week_page(request.user, found, now=now)
    fee = found.late_cancellation_fee
    fee_text = page_selectors.format_sek(fee) if fee else pgettext("fee", "None")
    return render(
        request,
        "courses/week.html",
        {"view": view, "week": found, "now": now, "fee_text": fee_text},
    )


def _information_region(request: HttpRequest, regions: list[Region]) -> Region | None:
    """`?region=<code>` when given (404 if unknown); the only region when there is one; else
    the logged-in person's own region; else None (the page lists the regions to choose)."""
    code = request.GET.get("region", "").strip()
    if code:
        for region in regions:
            if region.code == code:
                return region
        raise Http404
    if len(regions) == 1:
        return regions[0]
    if request.user.is_authenticated:
        own = member_region_ids(request.user)
        mine = [r for r in regions if r.pk in own]
        if len(mine) == 1:
            return mine[0]
    return None


def information(request: HttpRequest) -> HttpResponse:
    """C21: the programme's information page, public; the next deadlines come from the data,
    so they are never stale."""
    regions = page_selectors.information_regions()
    region = _information_region(request, regions)
    context: dict = {"regions": regions, "region": region, "page": None, "edit_url": ""}
    if region is not None:
        now = timezone.now()
        deadlines, weeks = page_selectors.next_deadlines(region, now=now)
        context.update(
            page=page_selectors.information_page(region),
            deadlines=deadlines,
            weeks=weeks,
        )
        if request.user.is_authenticated and permissions.may_manage_region(request.user, region.pk):
            try:
                context["edit_url"] = f"{reverse('staff:info_edit')}?region={region.pk}"
            except NoReverseMatch:
                context["edit_url"] = ""
    return render(request, "courses/information.html", context)
