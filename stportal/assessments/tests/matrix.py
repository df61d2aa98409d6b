"""The authorisation matrix's rows of competence assessments (SPEC 2, 5 P12): see
`stportal/core/tests/matrix_cases.py`. The assessor's public page answers anyone holding a
valid link and nobody with a wrong one; completing in the product is for the named assessor
with a verified address, whom the matrix's world does not hold (everyone there is refused)."""

from __future__ import annotations

from django.urls import reverse

from stportal.assessments import selectors, services
from stportal.assessments.models import RegionExpectation
from stportal.core.tests.matrix_cases import Case, case, pk
from stportal.core.tests.matrix_world import World


def _goal(world: World) -> str:
    return selectors.goals_of(world.a.owner).values_list("code", flat=True).first()


def _request_body(world: World) -> dict:
    return {
        "kind": "cbd",
        "assessor_name": "Bertil Bedömare",
        "assessor_email": "bertil@example.org",
        "goals": [_goal(world)],
    }


def _request_for_owner(world: World) -> dict:
    return {**_request_body(world), "trainee_id": world.a.owner.pk}


def _request_form(world: World) -> dict:
    return {
        "kind": "dops",
        "goals": [_goal(world)],
        "assessor_name": "Bertil Bedömare",
        "assessor_email": "bertil@example.org",
    }


def _link(world: World) -> str:
    return reverse("assessments:assess", args=[world.a.assessment_token])  # type: ignore[attr-defined]


def _wrong_link(world: World) -> str:
    return reverse("assessments:assess", args=["not-a-token-" + "x" * 30])


def _with_body(item: Case, body) -> Case:
    return Case(**{**item.__dict__, "body": body})


def _admin(name: str, obj: str | None = None):
    def url(world: World) -> str:
        return reverse(name, args=[pk(obj)(world)]) if obj else reverse(name)

    return url


WEB: dict[str, list[Case]] = {
    "bedomningar/": [case("any_user")],
    "bedomningar/ny/": [
        case("trainee_anywhere"),
        _with_body(case("trainee_anywhere", "POST"), _request_form),
    ],
    "bedomningar/handledda/": [case("any_user")],
    "bedomningar/st-lakare/<id:trainee_id>/": [case("trainee_record", trainee_id="a.owner")],
    "bedomningar/<id:assessment_id>/": [case("trainee_record", assessment_id="a.assessment")],
    "bedomningar/<id:assessment_id>/aterkalla/": [
        case("owner", "POST", assessment_id="a.assessment")
    ],
    "bedomningar/<id:assessment_id>/skicka-igen/": [
        case("owner", "POST", assessment_id="a.assessment")
    ],
    "bedomningar/<id:assessment_id>/bedom/": [case("nobody", assessment_id="a.assessment")],
    "bedomningar/bedom/<str:token>/": [
        Case(rule="public", url=_link, label="a valid link"),
        Case(rule="nobody", url=_wrong_link, label="a wrong link"),
    ],
}

ADMIN = [
    Case(
        rule="staff_anywhere",
        url=_admin("admin:assessments_assessment_changelist"),
        label="assessments_assessment_changelist",
    ),
    Case(
        rule="staff_of_region",
        url=_admin("admin:assessments_assessment_change", "a.assessment"),
        label="assessments_assessment_change",
        refused_redirect="/admin/",
    ),
    Case(
        rule="staff_of_region",
        url=_admin("admin:assessments_regionexpectation_change", "a.assessment_expectation"),
        label="assessments_regionexpectation_change",
        refused_redirect="/admin/",
    ),
]

API: dict[str, list[Case]] = {
    "POST /assessments": [
        _with_body(case("trainee_anywhere", "POST"), _request_body),
        Case(
            rule="owner",
            method="POST",
            body=_request_for_owner,
            label="for the owner",
        ),
    ],
    "GET /trainees/{trainee_id}/assessments": [case("trainee_record", trainee_id="a.owner")],
    "GET /assessments/{assessment_id}": [case("trainee_record", assessment_id="a.assessment")],
    "POST /assessments/{assessment_id}/withdraw": [
        case("owner", "POST", assessment_id="a.assessment")
    ],
    "POST /assessments/{assessment_id}/resend": [
        case("owner", "POST", assessment_id="a.assessment")
    ],
}


def extend(world: World) -> None:
    """A pending assessment of each region's owner (its link's token kept for the public
    page's row) and each region's expectation."""
    for side in (world.a, world.b):
        owner = side.owner
        goal = selectors.goals_of(owner).values_list("code", flat=True).first()
        assessment = services.request_assessment(
            actor=owner.user,
            trainee=owner,
            kind="mini_cex",
            assessor_name="Bertil Bedömare",
            assessor_email="bertil@example.org",
            goal_codes=[goal],
        )
        side.assessment = assessment  # type: ignore[attr-defined]
        side.assessment_token = assessment.fresh_token  # type: ignore[attr-defined]
        side.assessment_expectation = RegionExpectation.objects.create(  # type: ignore[attr-defined]
            region=side.region, per_year=4
        )
