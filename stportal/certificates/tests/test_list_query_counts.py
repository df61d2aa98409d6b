"""SPEC 7: no page issues more SQL queries when the data grows. The certificate lists (the
trainee's own, a course's, a print batch's, the requests for a new original, and the API's
course certificates, batches and own certificates) answer in the same number of queries with
10 and with 1,000 certificates."""

from __future__ import annotations

import json
import uuid

import pytest

from stportal.certificates.models import Certificate, CertificateBatch, ReplacementRequest
from stportal.core.tests.list_queries import (
    ADMIN_ROW,
    Route,
    admin_page_rows,
    check_route,
    copies,
    count_of,
    distinct_of,
    json_count,
    world_fixture,
)
from stportal.registrations.models import RegistrationLine
from stportal.registrations.tests.list_rows import copy_registrations, copy_weeks

world = world_fixture()


def _certify(world, registrations) -> list[Certificate]:
    """A certificate like the owner's, in the same batch, for each registration's line of
    the certified course."""
    template = world.a.certificate
    course_title = template.line.course.title
    lines = list(
        RegistrationLine.objects.filter(
            registration__in=registrations, course__title=course_title
        ).order_by("registration_id")
    )
    return copies(
        template,
        len(lines),
        vary={
            "line_id": lambda n: lines[n].pk,
            "verification_code": lambda n: uuid.uuid4().hex,
        },
    )


def _course(world, size: int) -> None:
    """Certificates of other trainees for the finished week's course."""
    held = Certificate.objects.filter(line__course=world.a.etik).count()
    _certify(world, copy_registrations(world.a.done_registration, size - held))


def _own(world, size: int) -> None:
    """The owner's certificates, each from a week of its own like the finished one."""
    held = Certificate.objects.filter(line__registration__trainee=world.a.owner).count()
    weeks = copy_weeks(world.a.done_week, size - held)
    _certify(
        world,
        copy_registrations(world.a.done_registration, len(weeks), week_ids=[w.pk for w in weeks]),
    )


def _requests(world, size: int) -> None:
    """Requests for a new original of other trainees' certificates."""
    template = world.a.replacement_request
    held = ReplacementRequest.objects.filter(trainee__home_unit__region=world.a.region).count()
    made = _certify(world, copy_registrations(world.a.done_registration, size - held))
    copies(
        template,
        len(made),
        vary={
            "certificate_id": lambda n: made[n].pk,
            "trainee_id": lambda n: made[n].line.registration.trainee_id,
        },
    )


def _batches(world, size: int) -> None:
    """Print batches of the course, each with a certificate like the owner's."""
    held = CertificateBatch.objects.filter(course=world.a.etik).count()
    made = copies(world.a.batch, size - held)
    certificates = _certify(world, copy_registrations(world.a.done_registration, len(made)))
    for batch, certificate in zip(made, certificates, strict=True):
        certificate.batch = batch
    Certificate.objects.bulk_update(certificates, ["batch"])


def _in_batches(text: str) -> int:
    """The certificates counted in the batches (by state)."""
    return sum(sum(batch["counts"].values()) for batch in json.loads(text))


ROUTES = {
    "intyg/mina/": Route(
        user=lambda w: w.a.owner.user,
        path=lambda w: "/intyg/mina/",
        grow=_own,
        rows=distinct_of(r"/intyg/mina/(\d+)/kopia\.pdf"),
    ),
    "intyg/kurser/<id>/": Route(
        user=lambda w: w.a.regional_study_director,
        path=lambda w: f"/intyg/kurser/{w.a.etik.pk}/",
        grow=_course,
        rows=distinct_of(r'href="/intyg/(\d+)/"'),
    ),
    "intyg/omgangar/<id>/": Route(
        user=lambda w: w.a.regional_study_director,
        path=lambda w: f"/intyg/omgangar/{w.a.batch.pk}/",
        grow=_course,
        rows=distinct_of(r'href="/intyg/(\d+)/"'),
    ),
    "intyg/begaran/": Route(
        user=lambda w: w.a.regional_study_director,
        path=lambda w: "/intyg/begaran/",
        grow=_requests,
        rows=distinct_of(r"/intyg/begaran/(\d+)/nytt-original/"),
    ),
    "GET /courses/{id}/certificates": Route(
        user=lambda w: w.a.regional_study_director,
        path=lambda w: f"/api/v1/courses/{w.a.etik.pk}/certificates",
        grow=_course,
        rows=json_count(),
    ),
    "GET /courses/{id}/certificate-batches": Route(
        user=lambda w: w.a.regional_study_director,
        path=lambda w: f"/api/v1/courses/{w.a.etik.pk}/certificate-batches",
        grow=_course,
        rows=_in_batches,
    ),
    "GET /courses/{id}/certificate-batches (batches)": Route(
        user=lambda w: w.a.regional_study_director,
        path=lambda w: f"/api/v1/courses/{w.a.etik.pk}/certificate-batches",
        grow=_batches,
        rows=json_count(),
    ),
    "intyg/omgangar/": Route(
        user=lambda w: w.a.regional_study_director,
        path=lambda w: "/intyg/omgangar/",
        grow=_batches,
        rows=distinct_of(r'href="/intyg/omgangar/(\d+)/"'),
    ),
    "GET /me/certificates": Route(
        user=lambda w: w.a.owner.user,
        path=lambda w: "/api/v1/me/certificates",
        grow=_own,
        rows=json_count(),
    ),
    "admin/certificates/certificate/": Route(
        user=lambda w: w.a.course_admin,
        path=lambda w: "/admin/certificates/certificate/",
        grow=_course,
        rows=count_of(ADMIN_ROW),
        expected=admin_page_rows(Certificate, lambda w: w.a.course_admin),
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(ROUTES))
def test_lists_answer_in_constant_queries(world, name):
    """SPEC 7: the same number of queries with 10 and with 1,000 certificates."""
    few, many = check_route(world, ROUTES[name])
    print(f"\n{name}: {few.queries} / {many.queries}")
