"""The authorisation matrix's rows of the completion pack (SPEC 5 P14): see
`stportal/core/tests/matrix_cases.py`. Whoever may read the record reads the pack and its
PDFs; only the trainee keeps summary certificates; staff upload the application forms."""

from __future__ import annotations

from stportal.core.tests.matrix_cases import Case, case

WEB: dict[str, list[Case]] = {
    "specialistansokan/st-lakare/<id:trainee_id>/": [case("trainee_record", trainee_id="a.owner")],
    "specialistansokan/st-lakare/<id:trainee_id>/intyg/": [
        case(
            "owner",
            "POST",
            {"kind": "specialist_competence", "action": "to_come"},
            trainee_id="a.owner",
        )
    ],
    "specialistansokan/st-lakare/<id:trainee_id>/bilagor.pdf": [
        case("trainee_record", trainee_id="a.owner")
    ],
    "specialistansokan/st-lakare/<id:trainee_id>/ansokan.pdf": [
        case("trainee_record", trainee_id="a.owner")
    ],
    "specialistansokan/blanketter/": [case("staff_anywhere")],
}

API: dict[str, list[Case]] = {
    "GET /trainees/{trainee_id}/completion-pack": [case("trainee_record", trainee_id="a.owner")],
    "GET /trainees/{trainee_id}/completion-pack.pdf": [
        case("trainee_record", trainee_id="a.owner")
    ],
}
