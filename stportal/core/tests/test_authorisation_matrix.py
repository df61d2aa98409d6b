"""The authorisation matrix (SPEC 2, SPEC 7; security review, issue 8): every web page and API
operation against every kind of caller, in two regions.

Each route has one row: the access rule it follows and the objects its path points at (all in
region A, built in `matrix_world`). A rule is a set of caller kinds; every other caller is
refused. Every cell is requested for real and its answer checked:

- refused: API 401 without credentials, 403 or 404 otherwise; a page sends an anonymous caller
  to log in and answers anyone else 403 or 404 (the admin sends them to its log-in too, and an
  object outside the editor's regions back to its index);
- allowed: any other answer below 500 (a write may answer 409 or 422: the object's state or
  the body refuses it after the caller passed the check). Every request runs in a transaction
  that is rolled back, so the world is the same for every cell.

`test_every_route_has_a_row` fails when a URL pattern or an API operation has no row.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from stportal.accounts.models import ApiToken, User
from stportal.accounts.tokens import issue_api_token
from stportal.api.api import api as ninja_api
from stportal.core.tests.matrix_cases import (
    CALLERS,
    RULES,
    Case,
    case,
    matrix_extensions,
    pk,
)
from stportal.core.tests.matrix_world import NOW, World, build_world
from stportal.testing.factories import make_personal_id


def owner_name(world: World) -> str:
    return world.a.owner.user.last_name


def open_week_title(world: World) -> str:
    return world.a.open_week.title


def alloc_week_title(world: World) -> str:
    return world.a.alloc_week.title


def done_week_title(world: World) -> str:
    return world.a.done_week.title


def copy_link(world: World) -> str:
    return f"/intyg/mina/{world.a.certificate.pk}/kopia.pdf"


def home_unit_name(world: World) -> str:
    return world.a.home_unit.name


NEW_PERSONAL_ID = make_personal_id(dt.date(1991, 4, 17))


def _owner_token(world: World) -> int:
    """A personal API token of the owner's."""
    issue_api_token(actor=None, user=world.a.owner.user)
    return ApiToken.objects.filter(user=world.a.owner.user).latest("pk").pk


def _owner_proposal(world: World) -> int:
    """A proposal of a new planned completion date by the owner, waiting (C5a)."""
    from stportal.accounts.completion_services import propose_planned_completion_change

    return propose_planned_completion_change(
        actor=world.a.owner.user,
        trainee=world.a.owner,
        planned_completion=dt.date(2029, 1, 31),
        reason="Föräldraledighet.",
    ).pk


def _course_day(world: World) -> str:
    return world.a.etik.days.order_by("date").first().date.isoformat()


def _verification_code(world: World) -> str:
    return world.a.certificate.verification_code


def _admin(name: str, obj: str | None = None) -> Callable[[World], str]:
    def url(world: World) -> str:
        if obj is None:
            return reverse(name)
        return reverse(name, args=[pk(obj)(world)])

    return url


def admin_case(name: str, rule: str, obj: str | None = None, **extra: Any) -> Case:
    return Case(rule=rule, url=_admin(name, obj), label=name.removeprefix("admin:"), **extra)


WEB: dict[str, list[Case]] = {
    "": [case("any_user")],
    "healthz": [case("public")],
    "readyz": [case("public")],
    # The accessibility statement and its barrier report form (DOS law): anyone.
    "tillganglighet/": [
        case("public"),
        case("public", "POST", {"description": "Knappen går inte att nå med tangentbordet."}),
    ],
    # Courses (C4, C21)
    "kurser/": [case("any_user", shows=("member_of_region", open_week_title))],
    "kurser/<id:week_id>/": [case("member_of_region", week_id="a.open_week")],
    "information/": [case("public")],
    # The trainee's registrations (C5–C11)
    # Members who are no trainee see the week and why they cannot register.
    "kurser/<id:week_id>/anmalan/": [case("member_of_region", week_id="a.open_week")],
    "mina-anmalningar/": [case("any_user", shows=("owner", alloc_week_title))],
    "mina-anmalningar/kalender.ics": [case("any_user", shows=("owner", alloc_week_title))],
    "anmalningar/<id:registration_id>/": [
        case("owner_staff_or_paying_unit", registration_id="a.open_registration")
    ],
    "anmalningar/<id:registration_id>/andra/": [
        case("owner_or_staff", registration_id="a.open_registration")
    ],
    "anmalningar/<id:registration_id>/avboka/": [
        case("owner_or_staff", registration_id="a.open_registration")
    ],
    "anmalningar/<id:registration_id>/erbjudande/<id:course_id>/ja/": [
        case(
            "owner_or_staff",
            "POST",
            registration_id="a.offer_registration",
            course_id="a.offer_course",
        )
    ],
    "anmalningar/<id:registration_id>/erbjudande/<id:course_id>/nej/": [
        case(
            "owner_or_staff",
            "POST",
            registration_id="a.offer_registration",
            course_id="a.offer_course",
        )
    ],
    # Course administration (SPEC 2 course admin, C4–C22)
    "kursadmin/": [case("staff_anywhere", shows=("staff_of_region", open_week_title))],
    "kursadmin/veckor/<id:week_id>/": [case("staff_of_region", week_id="a.open_week")],
    "kursadmin/veckor/<id:week_id>/publicera/": [
        case("staff_of_region", "POST", week_id="a.draft_week")
    ],
    "kursadmin/veckor/<id:week_id>/fordelning/": [case("staff_of_region", week_id="a.alloc_week")],
    "kursadmin/veckor/<id:week_id>/anmal/": [case("staff_of_region", week_id="a.open_week")],
    "kursadmin/veckor/<id:week_id>/anmalningar/": [case("staff_of_region", week_id="a.open_week")],
    "kursadmin/veckor/<id:week_id>/deltagare/": [case("staff_of_region", week_id="a.done_week")],
    "kursadmin/veckor/<id:week_id>/reservlista/": [case("staff_of_region", week_id="a.alloc_week")],
    "kursadmin/veckor/<id:week_id>/logi/": [case("staff_of_region", week_id="a.open_week")],
    "kursadmin/veckor/<id:week_id>/logi/<id:registration_id>/": [
        case("staff_of_region", week_id="a.open_week", registration_id="a.open_registration"),
        case(
            "staff_of_region",
            "POST",
            {"nights": ["2027-09-19"]},
            week_id="a.open_week",
            registration_id="a.open_registration",
        ),
    ],
    "kursadmin/kurser/<id:course_id>/kapacitet/": [
        case("staff_of_region", "POST", {"capacity": "61"}, course_id="a.open_course")
    ],
    "kursadmin/kurser/<id:course_id>/andra/": [case("staff_of_region", course_id="a.open_course")],
    "kursadmin/kurser/<id:course_id>/ta-bort/": [
        case("staff_of_region", course_id="a.open_course"),
        Case(
            label="removing it",
            rule="staff_of_region",
            method="POST",
            fill={"course_id": pk("a.open_course")},
            body=lambda w: {"reason": "Kursledaren är sjuk"},
        ),
    ],
    "kursadmin/anmalningar/<id:registration_id>/": [
        case("staff_of_region", registration_id="a.open_registration")
    ],
    "kursadmin/anmalningar/<id:registration_id>/avboka/": [
        case("staff_of_region", "POST", registration_id="a.open_registration")
    ],
    "kursadmin/anmalningar/<id:registration_id>/efterskank/": [
        case("staff_of_region", "POST", registration_id="a.done_registration")
    ],
    "kursadmin/avgifter/": [
        case("staff_or_unit_manager_anywhere", shows=("staff_or_paying_unit", owner_name))
    ],
    "kursadmin/information/": [case("staff_anywhere")],
    "kursadmin/utskick/": [case("staff_anywhere", shows=("staff_of_region", owner_name))],
    "kursadmin/utskick/forsok-igen/": [case("staff_anywhere", "POST")],
    "kursadmin/enhet/": [case("unit_manager_anywhere", shows=("paying_unit", owner_name))],
    # Certificates (C18, C19)
    "intyg/verifiera/<str:code>/": [case("public", code=_verification_code)],
    "intyg/mina/": [case("any_user", shows=("owner", copy_link))],
    "intyg/mina/<id:certificate_id>/kopia.pdf": [
        case("owner_or_staff", certificate_id="a.certificate")
    ],
    "intyg/mina/<id:certificate_id>/nytt-original/": [
        case("owner", certificate_id="a.certificate"),
        case("owner", "POST", certificate_id="a.certificate"),
    ],
    "intyg/begaran/": [case("staff_anywhere")],
    "intyg/begaran/<id:request_id>/nytt-original/": [
        case("staff_of_region", "POST", request_id="a.replacement_request")
    ],
    "intyg/begaran/<id:request_id>/avsla/": [
        case("staff_of_region", "POST", request_id="a.replacement_request")
    ],
    "intyg/kurser/<id:course_id>/": [case("staff_of_region", course_id="a.etik")],
    "intyg/kurser/<id:course_id>/utfarda/": [case("certifier", "POST", course_id="a.etik")],
    "intyg/omgangar/": [case("staff_anywhere", shows=("staff_of_region", done_week_title))],
    "intyg/omgangar/<id:batch_id>/": [case("staff_of_region", batch_id="a.batch")],
    "intyg/omgangar/<id:batch_id>/lage/": [case("staff_of_region", "POST", batch_id="a.batch")],
    "intyg/omgangar/<id:batch_id>/intyg.pdf": [case("staff_of_region", batch_id="a.batch")],
    "intyg/blanketter/": [case("staff_anywhere")],
    # The tracking page; the trainee reads their own copy (`kopia.pdf`).
    "intyg/<id:certificate_id>/": [case("staff_of_region", certificate_id="a.certificate")],
    "intyg/<id:certificate_id>/lage/": [
        case("staff_of_region", "POST", certificate_id="a.certificate")
    ],
    "intyg/<id:certificate_id>/nytt-original/": [
        case("staff_of_region", "POST", certificate_id="a.certificate")
    ],
    "intyg/<id:certificate_id>/aterkalla/": [
        case("staff_of_region", "POST", certificate_id="a.certificate")
    ],
    "intyg/<id:certificate_id>/original.pdf": [
        case("staff_of_region", certificate_id="a.certificate")
    ],
    # The course register (C17)
    # The courses one leads (or, for staff, their regions' courses); empty for anyone else.
    "narvaro/": [case("any_user", shows=("leaders_or_staff", done_week_title))],
    "narvaro/kurser/<id:course_id>/": [case("leader_or_staff", course_id="a.etik")],
    "narvaro/kurser/<id:course_id>/dag/<str:day>/": [
        case("leader_or_staff", "POST", course_id="a.etik", day=_course_day)
    ],
    "narvaro/kurser/<id:course_id>/deltagare/<id:registration_id>/resultat/": [
        Case(
            label="someone who is no participant",
            rule="nobody",
            fill={"course_id": pk("a.etik"), "registration_id": pk("a.other_open_registration")},
        ),
        case("leader_or_staff", course_id="a.etik", registration_id="a.done_registration"),
    ],
    "narvaro/kurser/<id:course_id>/stang/": [case("leader_or_staff", "POST", course_id="a.etik")],
    "narvaro/kurser/<id:course_id>/oppna-igen/": [
        case("staff_of_region", "POST", course_id="a.etik")
    ],
    # A person's own API tokens: anyone logged in sees their own; only the owner revokes one.
    "konto/api-nycklar/": [case("any_user")],
    "konto/api-nycklar/<id:token_id>/aterkalla/": [case("owner", "POST", token_id=_owner_token)],
    # Planned completion (C5a) and the HR import
    "konto/min-st/": [case("any_user", shows=("owner", owner_name))],
    "konto/planerat-slutdatum/": [case("completion_deciders_anywhere")],
    "konto/planerat-slutdatum/<id:change_id>/beslut/": [
        case("completion_decider", "POST", {"approved": "yes"}, change_id=_owner_proposal)
    ],
    "konto/st-lakare/": [case("staff_anywhere", shows=("staff_of_region", owner_name))],
    "konto/st-lakare/import/": [case("staff_anywhere")],
    "konto/st-lakare/<id:trainee_id>/": [case("completion_decider", trainee_id="a.owner")],
    # Everything held about a person (GDPR): the person themself, and staff of the trainee's
    # region for a trainee.
    "konto/mina-personuppgifter/": [case("any_user")],
    # Staff choose one of their own regions to work in (SPEC 2); another's is not found.
    "konto/region/": [
        Case(
            rule="staff_of_region",
            method="POST",
            body=lambda w: {"region": str(w.a.region.pk)},
        )
    ],
    "konto/st-lakare/<id:trainee_id>/personuppgifter/": [
        case("owner_or_staff", trainee_id="a.owner")
    ],
    # Two-factor log-in (django-allauth's MFA), each for the person themself.
    "accounts/2fa/": [case("any_user")],
    # Only while a log-in waits for its second factor; anyone else is sent to log in.
    "accounts/2fa/authenticate/": [case("any_user")],
    "accounts/2fa/reauthenticate/": [case("any_user")],
    "accounts/2fa/totp/activate/": [case("any_user")],
    # Asks for the password again first.
    "accounts/2fa/recovery-codes/generate/": [case("any_user")],
    # Only for someone who has set up an authenticator, which nobody here has (404).
    "accounts/2fa/totp/deactivate/": [case("nobody")],
    "accounts/2fa/recovery-codes/": [case("nobody")],
    "accounts/2fa/recovery-codes/download/": [case("nobody")],
    # Language, log-in (django-allauth)
    "i18n/setlang/": [case("public", "POST", {"language": "en", "next": "/"})],
    "accounts/login/": [case("public")],
    "accounts/logout/": [case("public")],
    "accounts/inactive/": [case("public")],
    "accounts/signup/": [case("public")],
    "accounts/reauthenticate/": [case("any_user")],
    "accounts/reauthenticate/code/": [case("any_user")],
    "accounts/reauthenticate/code/confirm/": [case("any_user")],
    "accounts/email/": [case("any_user")],
    "accounts/confirm-email/": [case("public")],
    "accounts/password/change/": [case("any_user")],
    "accounts/password/set/": [case("any_user")],
    "accounts/password/reset/": [case("public")],
    # The second step of a log-in by code: with no log-in under way it sends you to log in.
    "accounts/login/code/confirm/": [case("any_user")],
    r"accounts/^confirm-email/(?P<key>[-:\w]+)/$": [
        Case(rule="public", url=lambda w: "/accounts/confirm-email/not-a-key/")
    ],
    "accounts/password/reset/key/done/": [case("public")],
    "accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": [
        Case(rule="public", url=lambda w: "/accounts/password/reset/key/1-not-a-key/")
    ],
    "accounts/password/reset/done/": [case("public")],
    # Single sign-on (django-allauth's OpenID Connect; on in every cell, see `SSO_ON`). Its log-in
    # asks to go on to the identity provider; its return answers an error page without a log-in
    # under way. Nobody links an identity by hand (the adapter refuses); the pages below only
    # list a person's own links or say a log-in was cancelled.
    "accounts/oidc/^(?P<provider_id>[^/]+)/login/": [
        Case(rule="public", url=lambda w: "/accounts/oidc/region/login/")
    ],
    "accounts/oidc/^(?P<provider_id>[^/]+)/login/callback/": [
        Case(rule="public", url=lambda w: "/accounts/oidc/region/login/callback/")
    ],
    "accounts/3rdparty/": [case("any_user")],
    "accounts/3rdparty/login/cancelled/": [case("public")],
    "accounts/3rdparty/login/error/": [case("public")],
    "accounts/3rdparty/signup/": [case("public")],
    # allauth's old addresses of the same pages, redirecting to them.
    "accounts/social/connections/": [case("public")],
    "accounts/social/login/cancelled/": [case("public")],
    "accounts/social/login/error/": [case("public")],
    "accounts/social/signup/": [case("public")],
    # The API's own pages (its operations are the API rows below)
    "api/v1/": [case("public")],
    "api/v1/openapi.json": [case("public")],
    "api/v1/docs": [case("public")],
    "api/v1/^.*$": [Case(rule="nobody", url=lambda w: "/api/v1/no-such-thing")],
    # The back office: every admin page, through a sample of region A's objects.
    "admin/": [
        admin_case("admin:index", "staff_anywhere"),
        admin_case("admin:courses_courseweek_changelist", "staff_anywhere"),
        admin_case(
            "admin:accounts_homeunit_change",
            "staff_of_region",
            "a.home_unit",
            refused_redirect="/admin/",
        ),
        admin_case(
            "admin:accounts_traineeprofile_change",
            "staff_of_region",
            "a.owner",
            refused_redirect="/admin/",
        ),
        admin_case(
            "admin:courses_courseweek_change",
            "staff_of_region",
            "a.open_week",
            refused_redirect="/admin/",
        ),
        admin_case(
            "admin:registrations_registration_change",
            "staff_of_region",
            "a.open_registration",
            refused_redirect="/admin/",
        ),
        admin_case("admin:accounts_homeunit_history", "staff_of_region", "a.home_unit"),
    ],
}

API: dict[str, list[Case]] = {
    "GET /me": [case("any_user")],
    "GET /course-series": [case("any_user")],
    "PATCH /course-series/{series_id}": [
        case(
            "staff_of_region",
            "PATCH",
            {"priority_policy": "shortest_served"},
            series_id="a.open_week.series",
        )
    ],
    "POST /home-units": [case("staff_anywhere", "POST", {"name": ""})],
    "GET /home-units": [case("staff_anywhere", shows=("staff_of_region", home_unit_name))],
    # C23: staff of the trainee's present region hand the record over to another region.
    "POST /trainees/{trainee_id}/move": [
        Case(
            rule="staff_of_region",
            method="POST",
            fill={"trainee_id": pk("a.owner")},
            body=lambda w: {"home_unit_id": w.b.home_unit.pk},
        )
    ],
    "POST /trainees": [
        Case(
            label="in a home unit of region A",
            rule="staff_of_region",
            method="POST",
            body=lambda w: {
                "first_name": "Ny",
                "last_name": "Person",
                "email": "ny@example.org",
                "personal_id": NEW_PERSONAL_ID,
                "specialty": "allmanmedicin",
                "curriculum_version": "2015",
                "planned_completion": "2029-06-30",
                "home_unit_id": w.a.home_unit.pk,
            },
            refused="staff_of_other_region",
        ),
        case(
            "staff_anywhere",
            "POST",
            lambda w: {
                "first_name": "Ny",
                "last_name": "Person",
                "email": "ny@example.org",
                "personal_id": "19900101-0000",
                "specialty": "allmanmedicin",
                "curriculum_version": "2015",
                "planned_completion": "2029-06-30",
                "home_unit_id": w.a.home_unit.pk,
            },
        ),
    ],
    "GET /trainees": [case("staff_anywhere", shows=("staff_of_region", owner_name))],
    "GET /trainees/{trainee_id}": [case("trainee_record", trainee_id="a.owner")],
    "POST /trainees/{trainee_id}/planned-completion-changes": [
        case(
            "completion_proposer",
            "POST",
            {"planned_completion": "2029-01-31", "reason": "Föräldraledighet."},
            trainee_id="a.owner",
        ),
        Case(
            label="confirmed",
            rule="completion_decider",
            method="POST",
            fill={"trainee_id": pk("a.owner")},
            body=lambda w: {
                "planned_completion": "2029-01-31",
                "reason": "Ny IUP.",
                "confirmed": True,
            },
        ),
    ],
    "GET /trainees/{trainee_id}/planned-completion-changes": [
        case("completion_proposer", trainee_id="a.owner")
    ],
    "GET /planned-completion-changes": [case("any_user")],
    "GET /planned-completion-changes/{change_id}": [
        case("completion_proposer", change_id=_owner_proposal)
    ],
    "POST /planned-completion-changes/{change_id}/decision": [
        case(
            "completion_decider",
            "POST",
            {"approved": True, "comment": ""},
            change_id=_owner_proposal,
        )
    ],
    "POST /course-weeks": [
        case(
            "staff_anywhere",
            "POST",
            {
                "series": "LEKA A",
                "title": "",
                "start_date": "2028-03-20",
                "end_date": "2028-03-24",
                "invitation_date": "2027-09-01",
                "registration_deadline": "2027-10-15",
                "late_cancellation_fee": 3000,
            },
        )
    ],
    "GET /course-weeks": [case("any_user", shows=("member_of_region", open_week_title))],
    "GET /course-weeks/{week_id}": [case("member_of_region", week_id="a.open_week")],
    "PATCH /course-weeks/{week_id}": [
        case("staff_of_region", "PATCH", {"place": "Luleå"}, week_id="a.open_week")
    ],
    "POST /course-weeks/{week_id}/publish": [
        case("staff_of_region", "POST", week_id="a.draft_week")
    ],
    "POST /course-weeks/{week_id}/cancel": [
        case("staff_of_region", "POST", {"reason": "Lärarbrist"}, week_id="a.open_week")
    ],
    "POST /course-weeks/{week_id}/courses": [
        case("staff_of_region", "POST", {"title": "Etik"}, week_id="a.open_week"),
        Case(
            # Security review finding 9: anyone of the installation could be made a course
            # leader, which made them a member of the region.
            label="naming another region's course leader",
            rule="nobody",
            method="POST",
            fill={"week_id": pk("a.open_week")},
            body=lambda w: {"title": "Etik", "leader_ids": [w.b.course_leader.pk]},
            refused="staff_of_region",
        ),
    ],
    "POST /course-weeks/{week_id}/registrations": [
        # For oneself: trainees are already registered (409), anyone else must name a
        # trainee (422); outside the region the week does not exist.
        Case(
            rule="nobody",
            method="POST",
            fill={"week_id": pk("a.open_week")},
            body=lambda w: {},
            refused="member_of_region",
        ),
        Case(
            label="naming the owner",
            rule="owner_or_staff",
            method="POST",
            fill={"week_id": pk("a.open_week")},
            body=lambda w: {"trainee_id": w.a.owner.pk},
        ),
        Case(
            # Security review finding 1: staff could register another region's trainee.
            label="our week for another region's trainee",
            rule="nobody",
            method="POST",
            fill={"week_id": pk("a.open_week")},
            body=lambda w: {"trainee_id": w.b.other_trainee.pk},
            refused="staff_of_region",
        ),
        Case(
            label="another region's week for our trainee",
            rule="nobody",
            method="POST",
            fill={"week_id": pk("b.open_week")},
            body=lambda w: {"trainee_id": w.a.owner.pk},
        ),
    ],
    "GET /me/registrations": [case("any_user", shows=("owner", alloc_week_title))],
    "GET /me/export": [case("any_user")],
    "GET /trainees/{trainee_id}/export": [case("owner_or_staff", trainee_id="a.owner")],
    "GET /registrations/{registration_id}": [
        case("owner_staff_or_paying_unit", registration_id="a.open_registration")
    ],
    "PATCH /registrations/{registration_id}": [
        case("owner_or_staff", "PATCH", {"note": "Ny"}, registration_id="a.open_registration")
    ],
    "POST /registrations/{registration_id}/cancel": [
        case("owner_or_staff", "POST", {}, registration_id="a.open_registration")
    ],
    "POST /registrations/{registration_id}/waive-fee": [
        case("staff_of_region", "POST", {"reason": "Sjuk"}, registration_id="a.done_registration")
    ],
    "POST /registrations/{registration_id}/accept-offer": [
        case(
            "owner_or_staff",
            "POST",
            lambda w: {"course_id": w.a.offer_course.pk},
            registration_id="a.offer_registration",
        )
    ],
    "POST /registrations/{registration_id}/decline-offer": [
        case(
            "owner_or_staff",
            "POST",
            lambda w: {"course_id": w.a.offer_course.pk},
            registration_id="a.offer_registration",
        )
    ],
    "POST /course-weeks/{week_id}/allocation": [
        case("staff_of_region", "POST", {"dry_run": True}, week_id="a.alloc_week")
    ],
    "PUT /courses/{course_id}/capacity": [
        case("staff_of_region", "PUT", {"capacity": 61}, course_id="a.open_course")
    ],
    "PATCH /courses/{course_id}": [
        case("staff_of_region", "PATCH", {"title": "Etik"}, course_id="a.open_course"),
        Case(
            # Security review finding 9, for an existing course.
            label="naming another region's course leader",
            rule="nobody",
            method="PATCH",
            fill={"course_id": pk("a.open_course")},
            body=lambda w: {"leader_ids": [w.b.course_leader.pk]},
            refused="staff_of_region",
        ),
    ],
    "POST /courses/{course_id}/remove": [
        case("staff_of_region", "POST", {"reason": "Lärarbrist"}, course_id="a.open_course")
    ],
    # Staff anywhere, each for the weeks of their own regions (the region dimension of what
    # is listed: registrations/tests/test_region_invoices.py).
    "GET /region-invoices": [case("staff_anywhere")],
    "GET /fees": [
        case("any_user", shows=("staff_or_paying_unit", owner_name)),
        # The filler's late cancellation charged the other unit (C14).
        Case(
            label="narrowed to another unit",
            rule="any_user",
            query=lambda w: {"home_unit_id": w.a.other_unit.pk},
            shows=("staff_or_other_unit", lambda w: w.a.filler.user.last_name),
        ),
        Case(
            label="narrowed to the owner's unit",
            rule="any_user",
            query=lambda w: {"home_unit_id": w.a.home_unit.pk},
            shows=("staff_or_paying_unit", owner_name),
        ),
    ],
    "GET /courses/{course_id}/participants": [case("leader_or_staff", course_id="a.etik")],
    "GET /courses/{course_id}/register": [case("leader_or_staff", course_id="a.etik")],
    "PUT /courses/{course_id}/attendance": [
        Case(
            label="for another region's participant",
            rule="nobody",
            method="PUT",
            fill={"course_id": pk("a.etik")},
            body=lambda w: {
                "records": [
                    {
                        "registration_id": w.b.done_registration.pk,
                        "date": _course_day(w),
                        "present": True,
                    }
                ]
            },
            refused="leader_or_staff",
        ),
        case(
            "leader_or_staff",
            "PUT",
            lambda w: {
                "records": [
                    {
                        "registration_id": w.a.done_registration.pk,
                        "date": _course_day(w),
                        "present": True,
                    }
                ]
            },
            course_id="a.etik",
        ),
    ],
    "POST /courses/{course_id}/results": [
        Case(
            label="for another region's participant",
            rule="nobody",
            method="POST",
            fill={"course_id": pk("a.etik")},
            body=lambda w: {
                "results": [{"registration_id": w.b.done_registration.pk, "result": "passed"}]
            },
            refused="leader_or_staff",
        ),
        case(
            "leader_or_staff",
            "POST",
            lambda w: {
                "results": [{"registration_id": w.a.done_registration.pk, "result": "passed"}]
            },
            course_id="a.etik",
        ),
    ],
    "POST /courses/{course_id}/close": [case("leader_or_staff", "POST", course_id="a.etik")],
    "POST /courses/{course_id}/reopen": [
        case("staff_of_region", "POST", {"reason": "Fel"}, course_id="a.etik")
    ],
    "POST /courses/{course_id}/certificates": [case("certifier", "POST", course_id="a.etik")],
    "GET /courses/{course_id}/certificates": [case("staff_of_region", course_id="a.etik")],
    "GET /courses/{course_id}/certificate-batches": [case("staff_of_region", course_id="a.etik")],
    "GET /me/certificates": [case("any_user", shows=("owner", owner_name))],
    "GET /certificates/verify/{code}": [case("public", code=_verification_code)],
    "GET /certificates/{certificate_id}": [case("owner_or_staff", certificate_id="a.certificate")],
    "GET /certificates/{certificate_id}.pdf": [
        case("owner_or_staff", certificate_id="a.certificate")
    ],
    "POST /certificates/{certificate_id}/state": [
        case("staff_of_region", "POST", {"state": "printed"}, certificate_id="a.certificate")
    ],
    "POST /certificates/{certificate_id}/reissue": [
        case("staff_of_region", "POST", {"reason": "Borttappat"}, certificate_id="a.certificate")
    ],
    "POST /certificates/{certificate_id}/revoke": [
        case("staff_of_region", "POST", {"reason": "Fel"}, certificate_id="a.certificate")
    ],
    "POST /certificate-batches/{batch_id}/state": [
        case("staff_of_region", "POST", {"state": "printed"}, batch_id="a.batch")
    ],
    "GET /certificate-batches/{batch_id}.pdf": [case("staff_of_region", batch_id="a.batch")],
    "POST /certificate-forms": [case("staff_anywhere", "POST")],
    "GET /certificate-forms": [case("staff_anywhere")],
}

# The apps of the trainee record add their own rows (`matrix_cases.matrix_extensions`).
EXTENSIONS = matrix_extensions()
for _extension in EXTENSIONS:
    for _table, _rows in (
        (WEB, getattr(_extension, "WEB", {})),
        (API, getattr(_extension, "API", {})),
    ):
        _twice = set(_table) & set(_rows)
        assert not _twice, f"{_extension.__name__} repeats rows: {sorted(_twice)}"
        _table.update(_rows)
    # The back-office pages of the app's models join the admin's row.
    WEB["admin/"].extend(getattr(_extension, "ADMIN", []))

# --- Enumerating the routes ------------------------------------------------------------------

API_PREFIX = "api/v1/"
# The API's own patterns that are pages rather than operations.
API_PAGES = {"api-root", "openapi-json", "openapi-view", "not-found"}


def api_operations() -> set[str]:
    """Every operation of the API as "METHOD /path", from its OpenAPI schema."""
    schema = ninja_api.get_openapi_schema(path_prefix="")
    return {
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method in operations
    }


def _walk(patterns, prefix: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.name


def _as_openapi(route: str) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def web_routes() -> set[str]:
    """Every URL pattern; the admin's as one group, the API's operations left to `API`."""
    operation_paths = {key.split(" ", 1)[1] for key in api_operations()}
    found = set()
    for route, name in _walk(get_resolver().url_patterns):
        if route.startswith("admin/"):
            found.add("admin/")
        elif (
            route.startswith(API_PREFIX)
            and name not in API_PAGES
            and _as_openapi(route.removeprefix(API_PREFIX)) in operation_paths
        ):
            continue  # an operation of the schema: a row of `API`
        else:
            found.add(route)
    return found


def test_every_route_has_a_row():
    """Issue 8: a new page or API operation without a row in the matrix fails here."""
    assert web_routes() == set(WEB)
    assert api_operations() == set(API)


# --- The world, once per module --------------------------------------------------------------


@dataclass
class Prepared:
    world: World
    users: dict[str, User | None]
    tokens: dict[str, str]
    sessions: dict[str, Any]


@pytest.fixture(scope="module")
def prepared(django_db_setup, django_db_blocker):
    """Built once in a transaction that is rolled back at the end; each cell runs inside it in
    a savepoint of its own (pytest-django's `db`), so no cell sees another's writes."""
    with django_db_blocker.unblock(), time_machine.travel(NOW, tick=False):
        with transaction.atomic():
            world = build_world()
            for extension in EXTENSIONS:
                if hasattr(extension, "extend"):
                    extension.extend(world)
            users = {name: get(world) for name, get in CALLERS.items()}
            tokens = {
                name: issue_api_token(actor=None, user=user)
                for name, user in users.items()
                if user is not None
            }
            sessions = {}
            for name, user in users.items():
                if user is not None:
                    client = Client()
                    client.force_login(user)
                    sessions[name] = client.cookies
            yield Prepared(world, users, tokens, sessions)
            transaction.set_rollback(True)


# Single sign-on configured as a region would (no request reaches the provider in any cell).
SSO_ON = {
    "openid_connect": {
        "APPS": [
            {
                "provider_id": "region",
                "name": "Region A",
                "client_id": "st-portalen",
                "secret": "not-used",
                "settings": {"server_url": "https://idp.invalid"},
            }
        ]
    }
}


@pytest.fixture
def cell(prepared, db):
    """One cell: a savepoint of its own (pytest-django's `db`), rolled back, on the frozen
    day, with single sign-on on."""
    with time_machine.travel(NOW, tick=False), override_settings(SOCIALACCOUNT_PROVIDERS=SSO_ON):
        yield prepared


def _cells(table: dict[str, list[Case]]):
    for key, cases in table.items():
        for number, item in enumerate(cases):
            label = item.label or (str(number) if len(cases) > 1 else "")
            for caller in CALLERS:
                name = f"{key or '/'}{' [' + label + ']' if label else ''} :: {caller}"
                yield pytest.param(key, item, caller, id=name)


def _path(template: str, item: Case, world: World) -> str:
    values = {name: fill(world) for name, fill in item.fill.items()}
    return re.sub(
        r"<(?:\w+:)?(\w+)>|\{(\w+)\}",
        lambda m: str(values[m.group(1) or m.group(2)]),
        template,
    )


def _allowed(item: Case, caller: str) -> bool:
    return caller in RULES[item.rule]


def _check_list(item: Case, caller: str, response, world: World) -> None:
    """A list shows region A's object to those its rule names, and to nobody else."""
    if item.shows is None or response.status_code != 200:
        return
    rule, marker = item.shows
    shown = marker(world) in response.content.decode()
    assert shown == (caller in RULES[rule]), (caller, rule, marker(world))


def _where(response) -> str:
    return response.get("Location", "") if response.status_code in (301, 302, 303) else ""


@pytest.mark.parametrize(("route", "item", "caller"), list(_cells(WEB)))
def test_page(cell, route: str, item: Case, caller: str):
    """SPEC 2: every page answers each kind of caller as its rule says."""
    prepared = cell
    url = item.url(prepared.world) if item.url else "/" + _path(route, item, prepared.world)
    client = Client()
    user = prepared.users[caller]
    if user is not None:
        client.cookies = prepared.sessions[caller]
    body = item.body(prepared.world) if item.body else {}
    response = getattr(client, item.method.lower())(url, body)
    status, location = response.status_code, _where(response)
    assert status < 500, (url, status)
    sent_to_log_in = location.startswith(("/accounts/login/", "/admin/login/"))
    refused = (
        sent_to_log_in
        or status in (403, 404)
        or bool(item.refused_redirect and location == item.refused_redirect)
    )
    if _allowed(item, caller):
        assert not refused, (url, caller, status, location)
        _check_list(item, caller, response, prepared.world)
    elif user is None:
        assert sent_to_log_in or status == 404, (url, status, location)
    else:
        assert refused and not location.startswith("/accounts/login/"), (url, status, location)


@pytest.mark.parametrize(("key", "item", "caller"), list(_cells(API)))
def test_api_operation(cell, key: str, item: Case, caller: str):
    """SPEC 2, Appendix A: every operation answers each kind of caller as its rule says:
    401 without credentials, 403 or 404 for a caller it refuses, never data."""
    prepared = cell
    method, template = key.split(" ", 1)
    url = "/api/v1" + _path(template, item, prepared.world)
    headers = {}
    if caller in prepared.tokens:
        headers["Authorization"] = f"Bearer {prepared.tokens[caller]}"
    client = Client()
    if method == "GET":
        query = item.query(prepared.world) if item.query else None
        response = client.get(url, data=query, headers=headers)
    else:
        body = item.body(prepared.world) if item.body else None
        response = getattr(client, method.lower())(
            url,
            data="" if body is None else body,
            content_type="application/json",
            headers=headers,
        )
    status = response.status_code
    assert status < 500, (url, status, response.content[:300])
    if caller == "anonymous" and item.rule != "public":
        assert status == 401, (url, status)
    elif item.refused and caller in RULES[item.refused]:
        assert status in (404, 409, 422), (url, caller, status, response.content[:300])
    elif not _allowed(item, caller):
        assert status in (403, 404), (url, caller, status, response.content[:300])
    else:
        assert status not in (401, 403, 404), (url, caller, status, response.content[:300])
        _check_list(item, caller, response, prepared.world)
