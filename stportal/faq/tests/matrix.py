"""The questions-and-answers rows of the authorisation matrix (SPEC 2, SPEC 5 P10).

Each region gets one published question; region A's carries the marker the list rows look for,
so a list shows it to region A's people only.
"""

from __future__ import annotations

from stportal.core.tests.matrix_cases import Case, case
from stportal.core.tests.matrix_world import World
from stportal.faq import services


def _build(side, label: str) -> None:
    side.question = services.create_question(
        actor=side.course_admin,
        region=side.region,
        topic="Kurser",
        topic_en="Courses",
        question=f"Var hittar jag kursutbudet {label}?",
        answer="I kurskatalogen.",
    )


def extend(world: World) -> None:
    _build(world.a, "Alfa")
    _build(world.b, "Beta")


def question_text(world: World) -> str:
    return world.a.question.question


def _answer(w: World) -> dict:
    return {
        "topic": "Kurser",
        "question": "Hur anmäler jag mig?",
        "answer": "På kursgivarens webbplats.",
        "published": "on",
    }


def _new_answer(w: World) -> dict:
    return {**_answer(w), "region": w.a.region.pk}


WEB: dict[str, list[Case]] = {
    # Everyone logged in reads the published questions of their own regions.
    "fragor/": [case("any_user", shows=("member_of_region", question_text))],
    # Staff edit the questions of their own regions.
    "fragor/hantera/": [case("staff_anywhere", shows=("staff_of_region", question_text))],
    "fragor/ny/": [
        case("staff_anywhere"),
        Case(
            rule="staff_of_region",
            method="POST",
            body=_new_answer,
            label="in region A",
        ),
    ],
    "fragor/<id:question_id>/andra/": [
        case("staff_of_region", question_id="a.question"),
        case("staff_of_region", "POST", _answer, question_id="a.question"),
    ],
    "fragor/<id:question_id>/ta-bort/": [
        case("staff_of_region", question_id="a.question"),
        case("staff_of_region", "POST", question_id="a.question"),
    ],
}

API: dict[str, list[Case]] = {
    "GET /faq": [case("any_user", shows=("member_of_region", question_text))],
}
