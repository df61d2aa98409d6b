"""The course catalogue's rows of the authorisation matrix (SPEC 2, SPEC 5 P2).

Each region gets a preferred provider with one external course; region A's names carry the
marker the list rows look for, so a list shows them to region A's people only.
"""

from __future__ import annotations

import datetime as dt

from stportal.catalogue import services
from stportal.catalogue.models import ProviderKind
from stportal.core.tests.matrix_cases import Case, case, pk
from stportal.core.tests.matrix_world import World
from stportal.curricula.models import Goal


def _build(side, label: str) -> None:
    provider = services.create_provider(
        actor=side.course_admin,
        region=side.region,
        name=f"Kursgivare {label}",
        kind=ProviderKind.PREFERRED,
        url="https://example.org/kurser",
    )
    course = services.create_external_course(
        actor=side.course_admin,
        provider=provider,
        title=f"Extern kurs i farmakoterapi {label}",
        url="https://example.org/kurser/lakemedel",
        start_date=dt.date(2027, 9, 6),
        end_date=dt.date(2027, 9, 8),
        place="Umeå",
        cost=4500,
        certified=True,
        goals=Goal.objects.filter(version__code="2015", code="b3", specialty__isnull=True),
    )
    side.provider = provider
    side.external_course = course


def extend(world: World) -> None:
    _build(world.a, "Alfa")
    _build(world.b, "Beta")


def provider_name(world: World) -> str:
    return world.a.provider.name


def course_title(world: World) -> str:
    return world.a.external_course.title


def _admin(name: str, obj: str | None = None):
    from django.urls import reverse

    def url(world: World) -> str:
        return reverse(name, args=[pk(obj)(world)]) if obj else reverse(name)

    return url


WEB: dict[str, list[Case]] = {
    # Everyone logged in reads the catalogue of their own regions.
    "kurskatalog/": [
        case("any_user", shows=("member_of_region", course_title)),
    ],
}

# Back-office pages, added to the admin row of the main table.
ADMIN = [
    Case(
        rule="staff_anywhere",
        url=_admin("admin:catalogue_provider_changelist"),
        label="catalogue_provider_changelist",
        shows=("staff_of_region", provider_name),
    ),
    Case(
        rule="staff_of_region",
        url=_admin("admin:catalogue_provider_change", "a.provider"),
        label="catalogue_provider_change",
        refused_redirect="/admin/",
    ),
    Case(
        rule="staff_of_region",
        url=_admin("admin:catalogue_externalcourse_change", "a.external_course"),
        label="catalogue_externalcourse_change",
        refused_redirect="/admin/",
    ),
]

API: dict[str, list[Case]] = {
    "GET /catalogue": [case("any_user", shows=("member_of_region", course_title))],
    "GET /providers": [case("any_user", shows=("member_of_region", provider_name))],
    "POST /providers": [
        case(
            "staff_anywhere",
            "POST",
            {"name": "Ny kursgivare", "kind": "other", "url": "https://example.org"},
        )
    ],
    "POST /external-courses": [
        case(
            "staff_of_region",
            "POST",
            lambda w: {
                "provider_id": w.a.provider.pk,
                "title": "Palliativ vård i praktiken",
                "start_date": "2027-10-04",
                "end_date": "2027-10-05",
                "cost": 3200,
                "certified": True,
                "goals": {"2015": ["b5"]},
            },
        )
    ],
}
