"""People and helpers of the funding tests: a trainee of an area with its study director, a
study director of another area, and real PDFs made on the spot."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfWriter

from stportal.accounts.models import Role, TraineeProfile
from stportal.testing import factories


def make_pdf(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def pdf_bytes() -> bytes:
    return make_pdf()


@pytest.fixture
def area(home_unit):
    return home_unit.area


@pytest.fixture
def study_director(region, area):
    return factories.user_with_role(
        Role.STUDY_DIRECTOR, region=region, area=area, username="studierektor-omrade"
    )


@pytest.fixture
def other_area_director(region):
    other = factories.AreaFactory(region=region, name="Annat område")
    return factories.user_with_role(
        Role.STUDY_DIRECTOR, region=region, area=other, username="studierektor-annat"
    )


@pytest.fixture
def supervisor(region, trainee):
    user = factories.user_with_role(Role.SUPERVISOR, region=region, username="handledare-test")
    TraineeProfile.objects.filter(pk=trainee.pk).update(supervisor=user)
    trainee.supervisor = user
    return user
