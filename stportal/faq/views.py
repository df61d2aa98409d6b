"""The questions-and-answers pages (SPEC 5 P10): the searchable page everyone of a region
reads, and the pages where the region's staff add, change and remove questions. Reads through
the selectors, writes through the services, which decide who may on their own."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from stportal.accounts.models import Region
from stportal.core import bounds, errors
from stportal.core.pages import message_and_redirect, service_page
from stportal.faq import permissions, selectors, services
from stportal.faq.forms import QuestionForm, SearchForm
from stportal.faq.models import Question


def _to_manage(request: HttpRequest, kwargs: dict[str, Any]) -> HttpResponse:
    return redirect("faq:manage")


_editor_page = service_page(message_and_redirect(_to_manage))


def _form_errors(form, exc: errors.ServiceError) -> None:
    named = False
    for name, problems in exc.fields.items():
        if name in form.fields:
            for problem in problems:
                form.add_error(name, problem)
            named = True
    if not named:
        form.add_error(None, exc.message)


def _editor_regions(request: HttpRequest):
    if request.user.is_superuser:
        return Region.objects.order_by("name")
    return Region.objects.filter(pk__in=permissions.editor_region_ids(request.user)).order_by(
        "name"
    )


@login_required
def questions(request: HttpRequest) -> HttpResponse:
    """Everyone of the region: the published questions, searchable, grouped by topic."""
    query, topic = "", ""
    first = selectors.questions_for(request.user)
    form = SearchForm(request.GET or None, topics=first.topics)
    if form.is_bound and form.is_valid():
        query = form.cleaned_data.get("q") or ""
        topic = form.cleaned_data.get("topic") or ""
    found = (
        selectors.questions_for(request.user, query=query, topic=topic)
        if (query or topic)
        else first
    )
    return render(
        request,
        "faq/questions.html",
        {"form": form, "found": found, "searched": bool(query or topic)},
        status=422 if form.is_bound and form.errors else 200,
    )


@_editor_page
def manage(request: HttpRequest) -> HttpResponse:
    """Staff: every question of their regions, published or not, to change or remove."""
    found = list(selectors.questions_for_editor(request.user))
    return render(request, "faq/manage.html", {"questions": found})


@_editor_page
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    permissions.check_editor(request.user)
    regions = _editor_regions(request)
    asked = request.POST.get("region", "")
    if asked.isdecimal() and (
        int(asked) > bounds.MAX_ID or not regions.filter(pk=int(asked)).exists()
    ):
        # Another region's questions are not this person's to add to.
        raise errors.NotFound()
    form = QuestionForm(request.POST or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.create_question(
                actor=request.user,
                region=data["region"],
                topic=data["topic"],
                topic_en=data["topic_en"],
                question=data["question"],
                question_en=data["question_en"],
                answer=data["answer"],
                answer_en=data["answer_en"],
                published=data["published"],
                position=data.get("position"),
            )
        except errors.ValidationFailed as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The question is added."))
            return redirect(f"{reverse('faq:manage')}#fraga-{created.pk}")
    return render(
        request,
        "faq/edit.html",
        {"form": form, "question": None},
        status=422 if form.errors else 200,
    )


def _initial(question: Question) -> dict[str, Any]:
    return {name: getattr(question, name) for name in services.FIELDS}


@_editor_page
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, question_id: int) -> HttpResponse:
    question = selectors.get_question_for_editor(request.user, question_id)
    regions = _editor_regions(request)
    form = QuestionForm(
        request.POST or None, initial=_initial(question), regions=regions, with_region=False
    )
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in services.FIELDS}
        if changes["position"] is None:
            changes["position"] = question.position
        try:
            services.update_question(actor=request.user, question=question, changes=changes)
        except errors.ValidationFailed as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The question is saved."))
            return redirect(f"{reverse('faq:manage')}#fraga-{question.pk}")
    return render(
        request,
        "faq/edit.html",
        {"form": form, "question": question},
        status=422 if form.errors else 200,
    )


@_editor_page
@require_http_methods(["GET", "POST"])
def remove(request: HttpRequest, question_id: int) -> HttpResponse:
    question = selectors.get_question_for_editor(request.user, question_id)
    if request.method == "POST":
        services.remove_question(actor=request.user, question=question)
        messages.success(request, _("The question is removed."))
        return redirect("faq:manage")
    return render(request, "faq/remove.html", {"question": question})
