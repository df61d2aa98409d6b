"""The callers, access rules and row helpers of the authorisation matrix
(`test_authorisation_matrix.py`), in a module of their own so that each app can add the rows
of its own routes in `stportal/<app>/tests/matrix.py` (see `matrix_extensions`).

An app's `tests/matrix.py` defines `WEB` and `API` (route -> list of `Case`, as in the main
table) and may define `extend(world)`, which adds the app's objects to both regions of the
world (`world.a.<name>`, `world.b.<name>`) through the app's services.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from django.apps import apps

from stportal.accounts.models import User
from stportal.core.tests.matrix_world import World

# --- Who calls -------------------------------------------------------------------------------

# Region A's people by their relation to the objects of the rows, then region B's.
CALLERS: dict[str, Callable[[World], User | None]] = {
    "anonymous": lambda w: None,
    "trainee_owner": lambda w: w.a.owner.user,
    "trainee_other": lambda w: w.a.other_trainee.user,
    "supervisor_of_owner": lambda w: w.a.supervisor,
    "supervisor_other": lambda w: w.a.other_supervisor,
    "study_director_of_area": lambda w: w.a.study_director,
    "regional_study_director": lambda w: w.a.regional_study_director,
    "course_admin": lambda w: w.a.course_admin,
    "course_leader_of_course": lambda w: w.a.course_leader,
    "course_leader_other": lambda w: w.a.other_leader,
    "unit_manager_paying": lambda w: w.a.unit_manager,
    "unit_manager_other": lambda w: w.a.other_unit_manager,
    "b_trainee": lambda w: w.b.owner.user,
    "b_study_director": lambda w: w.b.study_director,
    "b_regional_study_director": lambda w: w.b.regional_study_director,
    "b_course_admin": lambda w: w.b.course_admin,
    "b_course_leader": lambda w: w.b.course_leader,
    "b_unit_manager": lambda w: w.b.unit_manager,
}

# --- The rules -------------------------------------------------------------------------------

EVERYONE = frozenset(CALLERS)
REGION_A = frozenset(name for name in CALLERS if name != "anonymous" and not name.startswith("b_"))
STAFF = frozenset({"regional_study_director", "course_admin"})
STAFF_B = frozenset({"b_regional_study_director", "b_course_admin"})
UNIT_MANAGERS = frozenset({"unit_manager_paying", "unit_manager_other", "b_unit_manager"})

RULES: dict[str, frozenset[str]] = {
    # No log-in needed.
    "public": EVERYONE,
    # Anyone logged in; what they see is their own or their regions' (may be empty).
    "any_user": EVERYONE - {"anonymous"},
    # Anyone who belongs to region A (the object's region).
    "member_of_region": REGION_A,
    # Course admins and regional study directors of any region, each for their own regions.
    "staff_anywhere": STAFF | STAFF_B,
    # Staff of any region and unit managers (the fee pages and reports).
    "staff_or_unit_manager_anywhere": STAFF | STAFF_B | UNIT_MANAGERS,
    "unit_manager_anywhere": UNIT_MANAGERS,
    # Staff of the object's region.
    "staff_of_region": STAFF,
    "staff_of_other_region": STAFF_B,
    # The certifier of the region's course certificates (C18).
    "certifier": frozenset({"regional_study_director"}),
    # The owner of the registration or certificate, and staff of its region.
    "owner_or_staff": STAFF | {"trainee_owner"},
    # As above, and the manager of the home unit that pays (C5, C16).
    "owner_staff_or_paying_unit": STAFF | {"trainee_owner", "unit_manager_paying"},
    # The trainee's record: the trainee, their supervisor and study director, staff (SPEC 2).
    "trainee_record": STAFF | {"trainee_owner", "supervisor_of_owner", "study_director_of_area"},
    # The course's own leader and staff of its region (C17).
    "leader_or_staff": STAFF | {"course_leader_of_course"},
    # The owner alone (their own lists).
    "owner": frozenset({"trainee_owner"}),
    # Both leaders of the region's courses, and staff.
    "leaders_or_staff": STAFF | {"course_leader_of_course", "course_leader_other"},
    # The fees of a registration: staff of the region and the unit that pays (C16).
    "staff_or_paying_unit": STAFF | {"unit_manager_paying"},
    "paying_unit": frozenset({"unit_manager_paying"}),
    "staff_or_other_unit": STAFF | {"unit_manager_other"},
    # Planned completion (C5a): who decides for the owner (staff, the area's study director),
    # who may propose (also the owner), and who decides for anyone at all.
    "completion_decider": STAFF | {"study_director_of_area"},
    "completion_proposer": STAFF | {"study_director_of_area", "trainee_owner"},
    "completion_deciders_anywhere": STAFF
    | STAFF_B
    | {"study_director_of_area", "b_study_director"},
    # The trainee's record: who directs it (decides funding, reviews statements), and their
    # supervisor (writes statements, certifies ST-days).
    "record_director": frozenset({"study_director_of_area", "regional_study_director"}),
    "supervisor": frozenset({"supervisor_of_owner"}),
    # The trainee's record, as a list: their supervisor and those who direct it (SPEC 2).
    "supervisor_or_director": frozenset(
        {"supervisor_of_owner", "study_director_of_area", "regional_study_director"}
    ),
    # Every trainee, each for their own record.
    "trainee_anywhere": frozenset({"trainee_owner", "trainee_other", "b_trainee"}),
    # The supervisor of the owner and staff of the region (revoking an ST-day certificate).
    "supervisor_or_staff": STAFF | {"supervisor_of_owner"},
    # Nobody: a path that does not exist.
    "nobody": frozenset(),
    # The authors of the owner's annual report: the trainee and their supervisor (P13).
    "record_author": frozenset({"trainee_owner", "supervisor_of_owner"}),
    # The trainee's education plan and timeline (P11): the trainee, their supervisor and those
    # who direct their studies; not the region's other staff.
    "plan_reader": frozenset(
        {
            "trainee_owner",
            "supervisor_of_owner",
            "study_director_of_area",
            "regional_study_director",
        }
    ),
    # A supervision meeting the supervisor recorded: the trainee and that supervisor.
    "owner_or_supervisor": frozenset({"trainee_owner", "supervisor_of_owner"}),
}

# --- The rows --------------------------------------------------------------------------------

Fill = Callable[[World], Any]


def pk(path: str) -> Fill:
    """The primary key of `path` in the world ("a.open_week", "b.owner")."""

    def get(world: World) -> Any:
        found: Any = world
        for part in path.split("."):
            found = getattr(found, part)
        return found.pk

    return get


@dataclass(frozen=True)
class Case:
    """One request of a row: the rule, how to fill the path, the body, and cells known to be
    wrong today (caller kind -> the finding), marked as expected failures."""

    rule: str
    method: str = "GET"
    fill: dict[str, Fill] = field(default_factory=dict)
    url: Callable[[World], str] | None = None
    body: Callable[[World], Any] | None = None
    label: str = ""
    # A rule naming callers who pass the check but whose body names something they may not
    # use, or that the object's state refuses: they get 409 or 422, never data.
    refused: str = ""
    # The admin's answer for an object outside the editor's regions: back to its index.
    refused_redirect: str = ""
    # A list: the text that marks region A's object, and the rule of who sees it in the list
    # (checked on every 200 answer: present for them, absent for everyone else).
    shows: tuple[str, Callable[[World], str]] | None = None
    query: Callable[[World], dict[str, Any]] | None = None


def case(
    rule: str,
    method: str = "GET",
    body: Any = None,
    shows: tuple[str, Callable[[World], str]] | None = None,
    **fill: Fill | str,
) -> Case:
    return Case(
        rule=rule,
        method=method,
        fill={name: pk(value) if isinstance(value, str) else value for name, value in fill.items()},
        body=body if callable(body) or body is None else (lambda w, b=body: b),
        shows=shows,
    )


def matrix_extensions() -> list[ModuleType]:
    """The `tests.matrix` modules of the installed apps, in app order."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("stportal."):
            continue
        name = f"{config.name}.tests.matrix"
        try:
            found.append(importlib.import_module(name))
        except ModuleNotFoundError as error:
            if error.name not in (name, f"{config.name}.tests"):
                raise
    return found
