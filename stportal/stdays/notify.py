"""E-mail when an ST-day certificate is issued: queued in the issuing transaction and sent
after commit, so a failed send never undoes the issuing."""

from __future__ import annotations

from django.urls import reverse

from stportal.core.dates import local_date
from stportal.notifications.services import queue_email, site_url
from stportal.stdays.models import StDayCertificate

KIND = "st_day_certificate_issued"


def certificate_issued(certificate: StDayCertificate) -> None:
    """To the trainee: the supervisor issued the certificate; where to download a copy."""
    from stportal.stdays.documents import verification_url

    queue_email(
        kind=KIND,
        to_user=certificate.trainee.user,
        context={
            "title": certificate.title,
            "subject_name": certificate.subject.name,
            "supervisor_name": certificate.certifier_name,
            "issued_on": local_date(certificate.issued_at),
            "verification_code": certificate.verification_code,
            "verification_url": verification_url(certificate.verification_code),
            "url": site_url() + reverse("stdays:index"),
        },
        dedupe_key=f"{KIND}:{certificate.pk}",
    )
