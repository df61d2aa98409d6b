"""The course catalogue page (SPEC 5 P2): the region's own programme and the external courses,
searchable by free text, goal, mandatory subject and kind. Reads only; staff edit providers and
external courses in the back office."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from stportal.catalogue import selectors
from stportal.catalogue.forms import CatalogueSearchForm
from stportal.core.dates import local_date


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    form = CatalogueSearchForm(
        request.GET or None,
        goals=selectors.goal_choices(),
        subjects=selectors.subject_choices(),
    )
    criteria: dict = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        criteria = {
            "query": data.get("q") or "",
            "goal": data.get("goal") or "",
            "subject": selectors.subject_by_id(data.get("subject")),
            "kind": data.get("kind") or "",
        }
    found = selectors.catalogue_for(request.user, today=local_date(timezone.now()), **criteria)
    return render(
        request,
        "catalogue/catalogue.html",
        {
            "form": form,
            "catalogue": found,
            "searched": bool(criteria and any(criteria.values())),
        },
        status=422 if form.is_bound and form.errors else 200,
    )
