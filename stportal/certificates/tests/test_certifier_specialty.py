"""The certifier's specialty on the course certificate (C18, Appendix B; issue 9, item 9): the
2015 form's "Specialitet (om den intygande personen är specialistkompetent läkare)" box of the
certifier's block is filled from the certifier's own specialty, set on the person in the
admin, on Socialstyrelsen's form and on the product's own rendition alike.

The official form is filled and flattened, so the test reads where pypdf finds each piece of
text on the page and checks that the specialty sits inside the form's own "Specialitet" field
(its rectangle read from the unfilled form with pypdf)."""

from __future__ import annotations

import io

from django.contrib.admin.sites import site
from django.urls import reverse
from pypdf import PdfReader

from stportal.accounts.models import User
from stportal.certificates import services
from stportal.certificates.tests.test_certificate_services import (
    certificate_of,
    form_bytes,
    issue,
    text_of,
)
from stportal.core.models import AuditEvent
from stportal.curricula.models import Specialty

SPECIALTY_FIELD_2015 = "Specialitet om den intygande personen är specialistkompetent läkare"


def make_specialist(user: User, code: str = "psykiatri") -> Specialty:
    specialty = Specialty.objects.get(code=code)
    User.objects.filter(pk=user.pk).update(specialist_in=specialty)
    user.refresh_from_db()
    return specialty


def field_rect(pdf: bytes, name: str) -> tuple[float, float, float, float]:
    """The rectangle of a form field on the first page, read with pypdf."""
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    for annotation in page.get("/Annots") or []:
        widget = annotation.get_object()
        parent = widget.get("/Parent")
        title = widget.get("/T") or (parent.get_object().get("/T") if parent else None)
        if title == name:
            x0, y0, x1, y1 = (float(v) for v in widget["/Rect"])
            return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)
    raise AssertionError(f"no field {name!r} on the form")


def text_positions(pdf: bytes) -> list[tuple[str, float, float]]:
    """Every run of text on the first page with where pypdf says it starts."""
    found: list[tuple[str, float, float]] = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            # The text matrix placed by the current transformation: page coordinates.
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((text.strip(), x, y))

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    return found


def test_the_certifiers_specialty_fills_the_2015_forms_specialitet_box_c18(
    etik, closed, regional_study_director, course_admin
):
    """C18: the regional study director, a specialist in psychiatry (set on the person), issues
    Åsa's 2015 certificate on Socialstyrelsen's form: "Psykiatri" is printed inside the
    form's "Specialitet" field of the certifier's block, and nowhere else on the page."""
    make_specialist(regional_study_director)
    form = services.upload_certificate_form(
        actor=course_admin, pdf_bytes=form_bytes("2015"), region=etik.week.series.region
    )
    certificate = certificate_of(closed[0], issue(regional_study_director, etik))
    assert certificate.form_id == form.pk
    assert certificate.content["certifier_specialty"] == "Psykiatri"

    pdf = services.certificate_pdf(certificate=certificate, copy=False)

    x0, y0, x1, y1 = field_rect(form_bytes("2015"), SPECIALTY_FIELD_2015)
    placed = [(x, y) for text, x, y in text_positions(pdf) if "Psykiatri" in text]
    assert placed, "the certifier's specialty is not on the certificate"
    assert all(x0 - 1 <= x <= x1 + 1 and y0 - 1 <= y <= y1 + 1 for x, y in placed), placed
    assert len(placed) == 1
    # The trainee's own specialty stays in its own box.
    assert "Allmänmedicin" in text_of(pdf)


def test_the_certifiers_specialty_is_on_the_products_own_rendition_c18(
    etik, closed, regional_study_director
):
    """C18a: without an uploaded form the product's own rendition carries the same box, filled
    the same way."""
    make_specialist(regional_study_director)
    certificate = certificate_of(closed[0], issue(regional_study_director, etik))
    assert certificate.form_id is None
    text = text_of(services.certificate_pdf(certificate=certificate, copy=True))
    assert "Specialitet" in text
    assert "Psykiatri" in text


def test_the_2021_form_leaves_the_supervisor_only_specialty_empty_for_a_course_leader_c18(
    etik, closed, regional_study_director, course_admin
):
    """HSLF-FS 2021:8 bilaga 10: the certifier's "Specialitet (gäller endast handledare)" is a
    supervisor's box; the course's certifier ticks "Kursledare", so it stays empty."""
    make_specialist(regional_study_director)
    services.upload_certificate_form(
        actor=course_admin, pdf_bytes=form_bytes("2021"), region=etik.week.series.region
    )
    certificate = certificate_of(closed[1], issue(regional_study_director, etik))
    assert certificate.version == "2021"
    assert certificate.content["certifier_specialty"] == "Psykiatri"  # kept with the content
    assert "Psykiatri" not in text_of(services.certificate_pdf(certificate=certificate, copy=False))


def test_a_certifier_without_a_specialty_leaves_the_box_empty_c18(
    etik, closed, regional_study_director
):
    """Appendix B: the box is for a certifier who is a specialist; nobody's is made up."""
    certificate = certificate_of(closed[0], issue(regional_study_director, etik))
    assert certificate.content["certifier_specialty"] == ""
    assert "Psykiatri" not in text_of(services.certificate_pdf(certificate=certificate, copy=False))


def test_staff_set_a_persons_specialty_in_the_admin_audited_c18(
    client, course_admin, regional_study_director
):
    """The specialty is set on the person in the admin, by staff of the person's region,
    through the audited account service."""
    assert "specialist_in" in str(site._registry[User].staff_fieldsets)
    client.force_login(course_admin)
    url = reverse("admin:accounts_user_change", args=[regional_study_director.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {
        name: form.initial.get(name, "")
        for name in form.fields
        if name not in ("password", "last_login", "date_joined")
    }
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data["is_active"] = "on"
    psykiatri = Specialty.objects.get(code="psykiatri")
    data["specialist_in"] = psykiatri.pk
    data.update(
        {
            "role_assignments-TOTAL_FORMS": "0",
            "role_assignments-INITIAL_FORMS": "0",
            "role_assignments-MIN_NUM_FORMS": "0",
            "role_assignments-MAX_NUM_FORMS": "1000",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    regional_study_director.refresh_from_db()
    assert regional_study_director.specialist_in == psykiatri
    event = AuditEvent.objects.filter(object_id=str(regional_study_director.pk)).last()
    assert event is not None and event.after.get("specialist_in") == psykiatri.pk
