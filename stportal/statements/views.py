"""Pages for supervisor statements (P5).

- The list: the supervisor's trainees and their statements (with "write a statement"), the
  statements waiting for the study director's review, and the trainee's own statements.
- Write a statement for a trainee (saved as a draft, or marked ready for review at once).
- A statement: status, text, the edit form while it is a draft (locked afterwards), the study
  director's review form, the history of versions, and two versions compared side by side.
- The study director's list of statements to review.
Server-rendered, working without JavaScript. Reads through the selectors, writes through the
services, which decide who may (`statements.permissions`) on their own.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from stportal.accounts import permissions as record
from stportal.core import errors
from stportal.core.pages import message_and_redirect, service_page
from stportal.statements import compare, permissions, selectors, services, workflow
from stportal.statements.forms import SUBMIT, CompareForm, ReviewForm, StatementForm
from stportal.statements.models import SupervisorStatement


def _to_statement(request: HttpRequest, kwargs: dict[str, Any]) -> HttpResponse:
    return redirect("statements:detail", statement_id=kwargs["statement_id"])


def _to_index(request: HttpRequest, kwargs: dict[str, Any]) -> HttpResponse:
    return redirect("statements:index")


def _form_errors(form, exc: errors.ServiceError) -> None:
    """A service's refusal on the form: by field where it names one, else above the form."""
    named = False
    for name, problems in exc.fields.items():
        if name in form.fields:
            for problem in problems:
                form.add_error(name, problem)
            named = True
    if not named:
        form.add_error(None, exc.message)


@service_page(message_and_redirect(_to_index))
def index(request: HttpRequest) -> HttpResponse:
    """Everything about statements that concerns the person: as supervisor, as study director,
    as trainee (their statements once ready for review)."""
    user = request.user
    trainees = list(selectors.supervised_trainees(user))
    written = list(selectors.written_by_me(user)) if trainees else []
    by_trainee: dict[int, list[SupervisorStatement]] = {t.pk: [] for t in trainees}
    for statement in written:
        by_trainee.setdefault(statement.trainee_id, []).append(statement)
    own = None
    profile = getattr(user, "trainee_profile", None)
    if profile is not None:
        own = list(selectors.statements_of(user, profile))
    directs = record.directed_trainees(user).exists()
    waiting = selectors.to_review(user).count() if directs else 0
    return render(
        request,
        "statements/index.html",
        {
            "rows": [(t, by_trainee[t.pk]) for t in trainees],
            "own": own,
            "directs": directs,
            "waiting": waiting,
        },
    )


@service_page(message_and_redirect(_to_index))
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest, trainee_id: int) -> HttpResponse:
    """The supervisor writes a statement for their trainee: saved as a draft, or marked ready
    for review at once."""
    profile = selectors.get_trainee_for_reader(request.user, trainee_id)
    permissions.check_may_write(request.user, profile)
    form = StatementForm()
    if request.method == "POST":
        form = StatementForm(request.POST)
        if form.is_valid():
            try:
                statement = services.write_statement(
                    actor=request.user,
                    trainee=profile,
                    text=form.cleaned_data["text"],
                    period_from=form.cleaned_data["period_from"],
                    period_to=form.cleaned_data["period_to"],
                )
                if request.POST.get("action") == SUBMIT:
                    services.submit_statement(actor=request.user, statement=statement)
            except errors.PermissionDenied:
                raise
            except errors.ServiceError as exc:
                _form_errors(form, exc)
            else:
                if statement.status == workflow.DRAFT:
                    messages.success(request, _("The statement is saved as a draft."))
                else:
                    messages.success(
                        request,
                        _("The statement is marked ready for review; the study director is told."),
                    )
                return redirect("statements:detail", statement_id=statement.pk)
    return render(
        request,
        "statements/new.html",
        {"profile": profile, "form": form},
        status=422 if form.errors else 200,
    )


def _detail_context(request: HttpRequest, statement: SupervisorStatement) -> dict[str, Any]:
    versions = list(selectors.versions_of(statement))
    actions = workflow.allowed_actions(
        statement.status, permissions.roles_of(request.user, statement.trainee)
    )
    newest = versions[-1].number if versions else 1
    return {
        "statement": statement,
        "versions": versions,
        "may_edit": workflow.EDIT in actions,
        "may_review": workflow.ACCEPT in actions,
        "locked": not workflow.may_edit(statement.status),
        "writer": workflow.SUPERVISOR in permissions.roles_of(request.user, statement.trainee),
        "compare_form": CompareForm(initial={"a": max(1, newest - 1), "b": newest}),
    }


@service_page(message_and_redirect(_to_statement))
@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, statement_id: int) -> HttpResponse:
    """One statement; its supervisor edits it here while it is a draft."""
    statement = selectors.get_statement_for_user(request.user, statement_id)
    form = StatementForm(
        initial={
            "text": statement.text,
            "period_from": statement.period_from,
            "period_to": statement.period_to,
        }
    )
    if request.method == "POST":
        form = StatementForm(request.POST)
        if form.is_valid():
            try:
                statement = services.edit_statement(
                    actor=request.user,
                    statement=statement,
                    text=form.cleaned_data["text"],
                    period_from=form.cleaned_data["period_from"],
                    period_to=form.cleaned_data["period_to"],
                    keep_period=False,
                )
                if request.POST.get("action") == SUBMIT:
                    statement = services.submit_statement(actor=request.user, statement=statement)
            except errors.PermissionDenied:
                raise
            except errors.ServiceError as exc:
                if exc.code == "locked":
                    messages.error(request, exc.message)
                    return redirect("statements:detail", statement_id=statement_id)
                _form_errors(form, exc)
            else:
                if statement.status == workflow.DRAFT:
                    messages.success(request, _("The draft is saved."))
                else:
                    messages.success(
                        request,
                        _("The statement is marked ready for review; the study director is told."),
                    )
                return redirect("statements:detail", statement_id=statement.pk)
    context = _detail_context(request, statement)
    context.update({"form": form, "review_form": ReviewForm()})
    return render(request, "statements/detail.html", context, status=422 if form.errors else 200)


@service_page(message_and_redirect(_to_statement))
@require_POST
def review(request: HttpRequest, statement_id: int) -> HttpResponse:
    """The study director marks the statement reviewed or sends it back with a comment."""
    statement = selectors.get_statement_for_user(request.user, statement_id)
    permissions.check_may_review(request.user, statement)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether the statement is reviewed or sent back."))
        return redirect("statements:detail", statement_id=statement.pk)
    accepted = form.cleaned_data["accepted"]
    try:
        services.review_statement(
            actor=request.user,
            statement=statement,
            accepted=accepted,
            comment=form.cleaned_data["comment"],
        )
    except errors.PermissionDenied:
        raise
    except errors.ServiceError as exc:
        if exc.code == "validation_error":
            # Keep the director's input: the page again with the form's errors.
            _form_errors(form, exc)
            context = _detail_context(request, statement)
            context.update({"form": None, "review_form": form})
            return render(request, "statements/detail.html", context, status=422)
        raise
    name = statement.trainee.user.display_name
    if accepted:
        text = _("The statement for %(name)s is reviewed; the supervisor and trainee are told.")
    else:
        text = _("The statement for %(name)s is sent back to draft; the supervisor is told.")
    messages.success(request, text % {"name": name})
    return redirect("statements:review_list")


@service_page(message_and_redirect(_to_statement))
def compare_versions(request: HttpRequest, statement_id: int) -> HttpResponse:
    """Two versions side by side, the differences marked."""
    statement = selectors.get_statement_for_user(request.user, statement_id)
    form = CompareForm(request.GET)
    rows: list[compare.Row] = []
    first = second = None
    if form.is_valid():
        try:
            first, second = selectors.version_pair(
                statement, form.cleaned_data["a"], form.cleaned_data["b"]
            )
        except errors.ValidationFailed as exc:
            _form_errors(form, exc)
        else:
            rows = compare.side_by_side(first.text, second.text)
    return render(
        request,
        "statements/compare.html",
        {
            "statement": statement,
            "versions": list(selectors.versions_of(statement)),
            "form": form,
            "first": first,
            "second": second,
            "rows": rows,
        },
        status=422 if form.errors else 200,
    )


@service_page(message_and_redirect(_to_index))
def review_list(request: HttpRequest) -> HttpResponse:
    """The study director's statements to review (their trainees only), and those reviewed."""
    waiting = list(selectors.to_review(request.user))
    done = list(selectors.reviewed_by_directed(request.user)[:20])
    return render(
        request,
        "statements/review_list.html",
        {"waiting": waiting, "done": done, "review_form": ReviewForm()},
    )
