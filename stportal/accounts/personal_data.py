"""What this app holds about a person, for their export (`core.personal_data`), and how it is
anonymised once the person is past retention (`core.erasure`)."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth.hashers import make_password
from django.db.models import Max

from stportal.accounts.models import (
    ApiToken,
    PlannedCompletionChange,
    RoleAssignment,
    TraineeProfile,
    User,
)
from stportal.core.erasure import Erased, Person, clear, merged
from stportal.core.personal_data import rows


def personal_data(user_id: int, trainee_id: int | None) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {
        "user": rows(User.objects.filter(pk=user_id), leave_out=("password",)),
        "roles": rows(RoleAssignment.objects.filter(user_id=user_id)),
        "api_tokens": rows(ApiToken.objects.filter(user_id=user_id)),
        # Log-ins through the region's identity provider, with the claims it last sent.
        "linked_identities": rows(SocialAccount.objects.filter(user_id=user_id)),
    }
    if trainee_id is not None:
        found["trainee_profile"] = rows(TraineeProfile.objects.filter(pk=trainee_id))
        found["planned_completion_changes"] = rows(
            PlannedCompletionChange.objects.filter(trainee_id=trainee_id)
        )
    return found


def anonymous_username(user_id: int) -> str:
    return f"anonym-{user_id}"


def is_anonymised(user: User) -> bool:
    return user.username == anonymous_username(user.pk)


def anonymise(person: Person) -> Erased:
    """The account loses name, user name (anonym-<id>), e-mail and every way in: inactive,
    an unusable password, no API tokens, no e-mail addresses, identities of the region's
    identity provider (and their tokens) or two-factor authenticators of the log-in. The
    trainee record loses the personal identity number; its specialty, home unit and dates stay
    (statistics). Proposals of a new completion date lose their reasons and comments."""
    user_id = person.user_id
    ApiToken.objects.filter(user_id=user_id).delete()
    EmailAddress.objects.filter(user_id=user_id).delete()
    Authenticator.objects.filter(user_id=user_id).delete()
    SocialAccount.objects.filter(user_id=user_id).delete()
    found = clear(
        User.objects.filter(pk=user_id),
        username=anonymous_username(user_id),
        first_name="",
        last_name="",
        email="",
        password=make_password(None),
        is_active=False,
        is_staff=False,
        is_superuser=False,
    )
    if person.trainee_id is None:
        return found
    return merged(
        found,
        clear(TraineeProfile.objects.filter(pk=person.trainee_id), personal_id=""),
        clear(
            PlannedCompletionChange.objects.filter(trainee_id=person.trainee_id),
            reason="",
            decision_comment="",
        ),
    )


def last_change(user_id: int, trainee_id: int | None):
    found = User.objects.filter(pk=user_id).values_list("last_login", "date_joined").first()
    days = list(found or ())
    if trainee_id is not None:
        changes = PlannedCompletionChange.objects.filter(trainee_id=trainee_id).aggregate(
            requested=Max("requested_at"), decided=Max("decided_at"), changed=Max("changed_at")
        )
        days += list(changes.values())
    return max((day for day in days if day is not None), default=None)
