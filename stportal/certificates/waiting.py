"""What the course certificates ask of a person now (the start page's list): originals
issued and not yet signed, for those who track the region's certificates (C19)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import ngettext

from stportal.accounts.models import User
from stportal.certificates.models import Certificate, CertificateState
from stportal.certificates.permissions import may_use_batches, trackable_courses
from stportal.core.waiting import Waiting


def waiting_for(user: User) -> list[Waiting]:
    if not may_use_batches(user):
        return []
    count = Certificate.objects.filter(
        line__course_id__in=trackable_courses(user),
        state__in=(CertificateState.ISSUED, CertificateState.PRINTED),
    ).count()
    return [
        Waiting(
            ngettext(
                "%(count)d course certificate to print and sign",
                "%(count)d course certificates to print and sign",
                count,
            )
            % {"count": count},
            count,
            reverse("certificates:batches"),
            order=40,
        )
    ]
