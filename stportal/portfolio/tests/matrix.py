"""The authorisation matrix's rows of the trainee's ST record (SPEC 2, SPEC 5 P1): one
trainee's pages follow `trainee_record` (everyone else 404); the table of trainees is open to
everyone logged in and lists the owner to their supervisor and those who direct the record."""

from __future__ import annotations

from stportal.core.tests.matrix_cases import case
from stportal.core.tests.matrix_world import World


def owner_name(world: World) -> str:
    return world.a.owner.user.last_name


def owner_record_link(world: World) -> str:
    return f'href="/st/{world.a.owner.pk}/"'


WEB = {
    "st/": [case("any_user", shows=("supervisor_or_director", owner_record_link))],
    "st/min-tackning/": [case("trainee_anywhere")],
    "st/<id:trainee_id>/": [case("trainee_record", trainee_id="a.owner")],
    "st/<id:trainee_id>/tackning/": [case("trainee_record", trainee_id="a.owner")],
}

API = {
    "GET /trainees/{trainee_id}/coverage": [case("trainee_record", trainee_id="a.owner")],
    "GET /coverage": [case("any_user", shows=("supervisor_or_director", owner_name))],
}
