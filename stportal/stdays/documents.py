"""An ST-day certificate as PDF (SPEC 5 P4): Socialstyrelsen's course-certificate form of the
trainee's curriculum version (SOSFS 2015:8 bilaga 5, HSLF-FS 2021:8 bilaga 10) with the box
*Handledare* ticked, drawn by the course certificates' machinery (`stportal.certificates`)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse

from stportal.certificates.content import CertificateData, format_yymmdd
from stportal.certificates.services import render_on_stored_form
from stportal.stdays.models import StDayCertificate

# The words printed on the form stay Swedish whatever the reader's language (STYLE rule 10).
PLACE_LABEL = "Plats"
EXAMINATION_LABEL = "Examinerad av handledaren"


def verification_url(code: str) -> str:
    """Where anyone checks an ST-day certificate: the public page of its code."""
    return settings.SITE_URL.rstrip("/") + reverse("stdays:verify", args=[code])


def printed_description(certificate: StDayCertificate) -> str:
    """The box "Beskrivning av kursen": the day's description, where it was held, and when
    and how the supervisor examined the trainee."""
    parts = [certificate.description.strip()] if certificate.description.strip() else []
    if certificate.place.strip():
        parts.append(f"{PLACE_LABEL}: {certificate.place.strip()}.")
    parts.append(
        f"{EXAMINATION_LABEL} {format_yymmdd(certificate.examined_on)}: "
        f"{certificate.examination.strip()}"
    )
    return "\n".join(parts)


def certificate_data(certificate: StDayCertificate) -> CertificateData:
    """The certificate's fixed content as the renderers' input, ticking *Handledare*."""
    content = certificate.content
    return CertificateData(
        curriculum_version=certificate.version,  # type: ignore[arg-type]
        bilaga_nr="",  # the applicant numbers the attachments (Appendix B)
        last_name=str(content["last_name"]),
        first_name=str(content["first_name"]),
        personal_id=str(content["personal_id"]),
        specialty=str(content["specialty"]),
        goal_codes=tuple(str(code) for code in certificate.goal_codes),
        subject=certificate.title,
        period_start=certificate.first_day,
        period_end=certificate.last_day,
        course_leader="",
        description=printed_description(certificate),
        certifier_role="handledare",
        certifier_name=str(content["certifier_name"]),
        certifier_specialty=str(content.get("certifier_specialty", "")),
        certifier_workplace=str(content.get("certifier_workplace", "")),
        place_and_date=str(content.get("place_and_date", "")),
        verification_code=certificate.verification_code,
        verification_url=verification_url(certificate.verification_code),
    )


def town_of(place: str, fallback: str) -> str:
    """The town of "Ort och datum": the last part of a place ("Folkets hus, Umeå")."""
    text = place.strip()
    return text.rsplit(",", 1)[-1].strip() if text else fallback


def place_and_date(place: str, fallback: str, issued_on: dt.date) -> str:
    return f"{town_of(place, fallback)} {issued_on.isoformat()}"


def st_day_certificate_pdf(*, certificate: StDayCertificate, copy: bool) -> bytes:
    """The certificate on the form it was issued on (the product's own rendition when none
    was uploaded); `copy` marks it as a copy."""
    return render_on_stored_form(
        certificate_data(certificate), form_id=certificate.form_id, copy=copy
    )
