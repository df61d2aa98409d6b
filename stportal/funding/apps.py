"""Funding applications for courses (ST-medel, SPEC 5 P3): apply, decide, invoice details, spending
per area and year."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "stportal.funding"
    label = "funding"
    verbose_name = _("Training funds")

    def ready(self) -> None:
        from stportal.core.erasure import register_anonymiser
        from stportal.core.personal_data import register_personal_data
        from stportal.funding.personal_data import anonymise, last_change, personal_data

        register_personal_data("funding", personal_data)
        register_anonymiser("funding", anonymise, last_change)

        from stportal.core.permissions import register_audit_scope
        from stportal.core.waiting import register_waiting_source
        from stportal.curricula.attachments import register_evidence_source
        from stportal.curricula.sources import register_coverage_source
        from stportal.funding import evidence, selectors

        register_audit_scope("funding.fundingapplication", "region")
        register_audit_scope("funding.areafundingsettings", "area__region")
        register_coverage_source("funding", selectors.coverage_items)
        register_waiting_source("funding", selectors.waiting_items)
        register_evidence_source("funding", evidence.evidence)
