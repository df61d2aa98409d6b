"""Certificate forms belong to a region or the installation, uploads are stripped of everything
active, and each certificate is printed on the form it was issued on (C18a; security review
finding 4).

The tampered form is built here from Socialstyrelsen's real form, which the tests read from
the reference folder beside the repository and skip without.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import FreeText, Link
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    RectangleObject,
    TextStringObject,
)
from reportlab.pdfgen.canvas import Canvas

from stportal.accounts.models import Role
from stportal.attendance import services as attendance_services
from stportal.attendance.tests.fixtures import AFTER_COURSE, LATER, attend
from stportal.certificates import sanitise, selectors, services
from stportal.certificates.models import Certificate, CertificateForm
from stportal.certificates.official_form import SOSFS_2015
from stportal.certificates.pdf import inspect_form
from stportal.certificates.tests.test_api import api  # noqa: F401 - fixture
from stportal.certificates.tests.test_certificate_services import (
    certificate_of,
    form_bytes,
    issue,
    text_of,
)
from stportal.core.errors import PermissionDenied, ValidationFailed
from stportal.testing import factories

EXTRA_LINE = "Intyget gäller endast mot uppvisande av kvitto."
EVIL = "https://intyg-kontroll.example.net/logga-in"
SCRIPT = "app.alert('Blanketten är föråldrad');"
PAYLOAD = b"MZ - not a certificate"


def tampered_form() -> bytes:
    """Socialstyrelsen's 2015 form as an attacker edits it: an extra line of text on the page,
    a free-text annotation, a URI action on opening, a link, additional actions on the page and
    on a field, an embedded file and a file attachment, and document JavaScript."""
    reader = PdfReader(io.BytesIO(form_bytes("2015")))
    writer = PdfWriter(clone_from=reader)
    page = writer.pages[0]

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(float(page.mediabox.width), float(page.mediabox.height)))
    canvas.setFont("Helvetica", 9)
    canvas.drawString(60, 40, EXTRA_LINE)
    canvas.showPage()
    canvas.save()
    page.merge_page(PdfReader(io.BytesIO(buffer.getvalue())).pages[0])

    writer.add_annotation(0, FreeText(text=EXTRA_LINE, rect=(60, 60, 400, 80)))
    writer.add_annotation(0, Link(rect=(60, 90, 400, 110), url=EVIL))
    uri = DictionaryObject(
        {
            NameObject("/S"): NameObject("/URI"),
            NameObject("/URI"): TextStringObject(EVIL),
        }
    )
    writer.root_object[NameObject("/OpenAction")] = uri
    javascript = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject(SCRIPT),
        }
    )
    page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): javascript})
    for ref in page["/Annots"]:
        annot = ref.get_object()
        if annot.get("/T") == "Personnummer":
            annot[NameObject("/AA")] = DictionaryObject({NameObject("/K"): javascript})
    writer.add_attachment("uppdatering.exe", PAYLOAD)
    attachment = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/FileAttachment"),
            NameObject("/Rect"): RectangleObject((10, 10, 30, 30)),
            NameObject("/FS"): DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/Filespec"),
                    NameObject("/F"): TextStringObject("bilaga.exe"),
                }
            ),
        }
    )
    page["/Annots"].append(writer._add_object(attachment))  # noqa: SLF001
    names = writer.root_object.setdefault(NameObject("/Names"), DictionaryObject())
    names.get_object()[NameObject("/JavaScript")] = DictionaryObject(
        {
            NameObject("/Names"): ArrayObject(
                [TextStringObject("varning"), writer._add_object(javascript)]  # noqa: SLF001
            )
        }
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def active_content(pdf: bytes) -> list[str]:
    """Everything active the document still reaches, walked independently of the sanitiser."""
    reader = PdfReader(io.BytesIO(pdf))
    found: list[str] = []
    seen: set[int] = set()
    stack: list[object] = [reader.trailer["/Root"]]
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            if obj.idnum in seen:
                continue
            seen.add(obj.idnum)
            stack.append(obj.get_object())
            continue
        if isinstance(obj, DictionaryObject):
            for key in ("/OpenAction", "/AA", "/JS", "/URI", "/EmbeddedFiles", "/XFA", "/FS"):
                if key in obj:
                    found.append(key)
            if obj.get("/S") in ("/URI", "/JavaScript", "/Launch", "/SubmitForm"):
                found.append(str(obj["/S"]))
            if obj.get("/Subtype") in ("/Link", "/FileAttachment", "/FreeText"):
                found.append(str(obj["/Subtype"]))
            if obj.get("/Type") == "/EmbeddedFile":
                found.append("/EmbeddedFile")
            stack.extend(obj.values())
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
    return found


@pytest.fixture
def superuser(db):
    return factories.UserFactory(username="root-test", is_superuser=True, is_staff=True)


@pytest.fixture
def admin_b(other_region):
    return factories.user_with_role(Role.COURSE_ADMIN, region=other_region, username="kursadmin-b")


def test_a_tampered_form_of_another_region_never_reaches_our_certificates_finding_4(
    etik,
    ledarskap,
    closed,
    region,
    other_region,
    superuser,
    admin_b,
    regional_study_director,
    other_leader,
):
    """Security review finding 4. The installation's form (a superuser's upload) is in use;
    region A (ours) issues certificates on it. Region B's course admin then uploads a tampered
    form for region B: it is stored stripped of its open action, links, annotations, actions,
    embedded files and scripts. Region A's certificate issued earlier still records and prints
    on the installation's form, exactly as before, copies and new originals too; region A's
    new certificates are not issued on B's form; and B's course admin can upload neither for
    region A nor for the whole installation."""
    installation = services.upload_certificate_form(
        actor=superuser, pdf_bytes=form_bytes("2015"), region=None, filename="sosfs.pdf"
    )
    assert installation.region is None
    ours = certificate_of(closed[0], issue(regional_study_director, etik))
    assert ours.form_id == installation.pk
    original_before = services.certificate_pdf(certificate=ours, copy=False)
    copy_before = text_of(services.certificate_pdf(certificate=ours, copy=True))

    attack = tampered_form()
    assert set(active_content(attack)) >= {
        "/OpenAction",
        "/AA",
        "/JS",
        "/URI",
        "/Link",
        "/FreeText",
        "/FileAttachment",
        "/EmbeddedFiles",
    }
    theirs = services.upload_certificate_form(
        actor=admin_b, pdf_bytes=attack, region=other_region, filename="kurs.pdf"
    )
    stored = bytes(CertificateForm.objects.get(pk=theirs.pk).pdf)
    assert theirs.region == other_region
    assert active_content(stored) == []
    assert EVIL.encode() not in stored and PAYLOAD not in stored and b"app.alert" not in stored
    assert {"open_action", "link_annotations", "embedded_files", "javascript"} <= set(
        theirs.removed
    )
    fields = {name for name in (PdfReader(io.BytesIO(stored)).get_fields() or {})}
    assert set(SOSFS_2015.expected) <= fields  # what the filling needs stays

    # Region A's certificate issued before: the same form, the same document.
    ours.refresh_from_db()
    assert ours.form_id == installation.pk
    original_after = services.certificate_pdf(certificate=ours, copy=False)
    assert original_after == original_before
    assert text_of(services.certificate_pdf(certificate=ours, copy=True)) == copy_before
    assert EXTRA_LINE not in text_of(original_after)
    assert active_content(original_after) == []
    batch_pdf = services.batch_pdf(batch=ours.batch)
    assert EXTRA_LINE not in text_of(batch_pdf)

    # A new original of it stays on its form; region A's new certificates use A's own form,
    # else the installation's, never B's.
    reissued = services.reissue_certificate(
        actor=regional_study_director, certificate=ours, reason="Borttappat i posten.", now=LATER
    )
    assert reissued.form_id == installation.pk
    assert services.current_form("2015", region).pk == installation.pk
    assert services.current_form("2015", other_region).pk == theirs.pk
    for participant in closed:
        attend(other_leader, ledarskap, participant, "P")
    attendance_services.close_register(actor=other_leader, course=ledarskap, now=AFTER_COURSE)
    new = certificate_of(closed[0], issue(regional_study_director, ledarskap))
    assert new.form_id == installation.pk
    assert EXTRA_LINE not in text_of(services.certificate_pdf(certificate=new, copy=False))

    # Region B's course admin reaches neither region A's forms nor the installation's.
    for target in (region, None):
        with pytest.raises(PermissionDenied):
            services.upload_certificate_form(
                actor=admin_b, pdf_bytes=form_bytes("2015"), region=target
            )
    assert CertificateForm.objects.count() == 2
    assert Certificate.objects.filter(form=theirs).count() == 0
    assert theirs.pk not in {f.pk for f in selectors.current_forms(regional_study_director)}


def test_an_oversize_form_is_refused_in_swedish_finding_4(settings, course_admin, region):
    """Security review finding 4: uploads have a size cap (`STPORTAL_FORM_MAX_BYTES`)."""
    settings.CERTIFICATE_FORM_MAX_BYTES = 1024 * 1024
    data = form_bytes("2015")
    assert len(data) > settings.CERTIFICATE_FORM_MAX_BYTES
    with translation.override("sv"), pytest.raises(ValidationFailed) as caught:
        services.upload_certificate_form(actor=course_admin, pdf_bytes=data, region=region)
    (message,) = caught.value.fields["file"]
    assert message.startswith("Filen är för stor") and "1,0" in message
    assert not CertificateForm.objects.exists()


def test_only_a_superuser_uploads_the_installations_form_finding_4(
    course_admin, regional_study_director, superuser, region
):
    """Security review finding 4: staff of a region upload for that region only."""
    for staff in (course_admin, regional_study_director):
        with pytest.raises(PermissionDenied):
            services.upload_certificate_form(actor=staff, pdf_bytes=form_bytes("2021"), region=None)
    assert not CertificateForm.objects.exists()
    kept = services.upload_certificate_form(
        actor=regional_study_director, pdf_bytes=form_bytes("2021"), region=region
    )
    assert kept.region == region and kept.uploaded_by == regional_study_director
    assert services.current_form("2021") is None
    installation = services.upload_certificate_form(
        actor=superuser, pdf_bytes=form_bytes("2021"), region=None
    )
    assert installation.region is None and installation.pk != kept.pk


def test_a_region_uploads_through_the_api_only_for_itself_finding_4(
    client,
    api,  # noqa: F811
    course_admin,
    admin_b,
    region,
    other_region,
):
    """Security review finding 4, through the API: 403 for another region's form or the
    installation's, 201 for one's own (the only staff region when none is named), and the
    list shows one's own region's forms only."""
    form = form_bytes("2015")
    refused = client.post(
        f"/api/v1/certificate-forms?region_id={region.pk}",
        data=form,
        content_type="application/pdf",
        headers=api.headers(admin_b),
    )
    assert refused.status_code == 403, refused.content
    assert not CertificateForm.objects.exists()
    own = client.post(
        "/api/v1/certificate-forms",
        data=form,
        content_type="application/pdf",
        headers=api.headers(admin_b),
    )
    assert own.status_code == 201, own.content
    assert CertificateForm.objects.get().region == other_region  # no region named: B's own
    unknown = client.post(
        "/api/v1/certificate-forms?region_id=999999",
        data=form,
        content_type="application/pdf",
        headers=api.headers(admin_b),
    )
    assert unknown.status_code == 404
    ours = client.post(
        "/api/v1/certificate-forms",
        {"file": SimpleUploadedFile("a.pdf", form), "region_id": str(region.pk)},
        headers=api.headers(course_admin),
    )
    assert ours.status_code == 201, ours.content
    assert ours.json()["region_id"] == region.pk
    listed = api.get("certificate-forms", course_admin).json()
    assert [item["region_id"] for item in listed] == [region.pk]


def test_the_sanitiser_keeps_the_real_forms_fillable_c18a():
    """C18a: stripping the real forms keeps every field the certificate fills."""
    for version in ("2015", "2021"):
        result = sanitise.sanitise_form(form_bytes(version))
        assert active_content(result.pdf) == []
        assert inspect_form(result.pdf, version).ok


def test_existing_certificates_get_the_form_that_was_current_when_issued_finding_4(
    etik,
    closed,
    course_admin,
    superuser,
    regional_study_director,
    region,
):
    """The migration that gives forms an owner and certificates their form: a staff member's
    upload becomes their region's form, a superuser's stays the installation's, and each
    certificate gets the newest form of its version uploaded before it was issued."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "stportal.certificates.migrations.0002_form_region_and_certificate_form"
    )
    certificates = issue(regional_study_director, etik)
    c2015 = certificate_of(closed[0], certificates)
    c2021 = certificate_of(closed[1], certificates)
    data = form_bytes("2015")

    def legacy(by, at):
        return CertificateForm.objects.create(
            version="2015", pdf=data, sha256="x", size=len(data), uploaded_at=at, uploaded_by=by
        )

    older = legacy(superuser, c2015.issued_at - dt.timedelta(days=30))
    current = legacy(course_admin, c2015.issued_at - dt.timedelta(days=1))
    later = legacy(superuser, c2015.issued_at + dt.timedelta(days=1))
    Certificate.objects.update(form=None)

    migration.assign_forms(apps, None)

    c2015.refresh_from_db()
    c2021.refresh_from_db()
    assert c2015.form_id == current.pk
    assert c2021.form_id is None  # no 2021 form then: the product's own rendition
    regions = dict(CertificateForm.objects.values_list("pk", "region_id"))
    assert regions == {older.pk: None, current.pk: region.pk, later.pk: None}
