"""A person's own pages about their account: their personal API tokens (SPEC 6), and what the
product holds about them (GDPR).

Server-rendered and working without JavaScript. A new token is shown once, in the answer to
the form that made it; the page is never cached, so that the token does not stay behind in a
shared computer's browser cache.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from stportal.accounts import exports, tokens
from stportal.accounts.models import Region, TraineeProfile
from stportal.core import errors
from stportal.core.permissions import ACTIVE_REGION_SESSION_KEY, all_staff_region_ids


def _render(request: HttpRequest, *, new_token: str = "") -> HttpResponse:
    now = timezone.now()
    rows = [
        {
            "token": token,
            "state": (
                "revoked"
                if token.revoked_at is not None
                else "expired"
                if token.expires_at <= now
                else "live"
            ),
        }
        for token in tokens.tokens_of(request.user)
    ]
    return render(
        request,
        "accounts/api_tokens.html",
        {
            "rows": rows,
            "new_token": new_token,
            "lifetime_days": tokens.token_lifetime().days,
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    """GET: the person's own tokens. POST: a new token, shown this once."""
    if request.method == "POST":
        new_token = tokens.issue_api_token(actor=request.user, user=request.user)
        messages.success(
            request, _("Your new API token is made. Copy it now: it is not shown again.")
        )
        return _render(request, new_token=new_token)
    return _render(request)


@never_cache
@login_required
@require_POST
def revoke_api_token(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        token = tokens.get_own_token(request.user, token_id)
    except errors.NotFound as exc:
        raise Http404 from exc
    tokens.revoke_api_token(actor=request.user, token=token, reason="revoked_by_owner")
    messages.success(request, _("The API token %(prefix)s… is revoked.") % {"prefix": token.prefix})
    return redirect("accounts:api_tokens")


def _personal_data_page(request: HttpRequest, profile: TraineeProfile | None) -> HttpResponse:
    try:
        export = exports.export_personal_data(actor=request.user, profile=profile)
    except errors.NotFound as exc:
        raise Http404 from exc
    person = profile.user if profile is not None else request.user
    json_url = (
        f"/api/v1/trainees/{profile.pk}/export" if profile is not None else "/api/v1/me/export"
    )
    return render(
        request,
        "accounts/personal_data.html",
        {
            "person": person,
            "own": person.pk == request.user.pk,
            "sections": exports.summarise(export),
            "exported_at": timezone.localtime(),
            "json_url": json_url,
        },
    )


@never_cache
@login_required
@require_http_methods(["GET"])
def my_personal_data(request: HttpRequest) -> HttpResponse:
    """Everything the product holds about the person logged in, to read and print (GDPR
    art. 15); the same as the JSON export."""
    return _personal_data_page(request, None)


@never_cache
@login_required
@require_http_methods(["GET"])
def trainee_personal_data(request: HttpRequest, trainee_id: int) -> HttpResponse:
    """The same for a trainee, for staff of the trainee's region; 404 for anyone else."""
    profile = (
        TraineeProfile.objects.select_related("user", "home_unit").filter(pk=trainee_id).first()
    )
    if profile is None:
        raise Http404
    return _personal_data_page(request, profile)


def sso_signup_closed(request: HttpRequest) -> HttpResponse:
    """Single sign-on never signs anyone up (an identity without an account is refused before
    any sign-up), so its sign-up page says what the password sign-up page says."""
    return render(request, "account/signup_closed.html")


@login_required
@require_POST
def switch_region(request: HttpRequest) -> HttpResponse:
    """A person holding staff roles in several regions chooses the one to work in, or all of
    them (an empty choice); kept for the session (SPEC 2: roles are held within a region)."""
    choice = request.POST.get("region", "")
    if choice == "":
        request.session.pop(ACTIVE_REGION_SESSION_KEY, None)
        messages.success(request, _("You now work in all your regions."))
        return redirect("home")
    region = (
        Region.objects.filter(pk=int(choice), pk__in=all_staff_region_ids(request.user)).first()
        if choice.isdigit() and len(choice) < 10
        else None
    )
    if region is None:
        raise Http404
    request.session[ACTIVE_REGION_SESSION_KEY] = region.pk
    messages.success(request, _("You now work in %(region)s.") % {"region": region.name})
    return redirect("home")
