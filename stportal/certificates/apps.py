from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "stportal.certificates"
    label = "certificates"
    verbose_name = _("Course certificates")

    def ready(self) -> None:
        from stportal.certificates.personal_data import anonymise, last_change, personal_data
        from stportal.core.erasure import register_anonymiser
        from stportal.core.personal_data import register_personal_data

        register_personal_data("certificates", personal_data)
        register_anonymiser("certificates", anonymise, last_change)

        from stportal.core.permissions import register_audit_scope

        # Staff see the audit trail of their own regions' certificates and batches.
        register_audit_scope("certificates.certificate", "line__course__week__series__region")
        register_audit_scope("certificates.certificatebatch", "course__week__series__region")

        from stportal.certificates import evidence
        from stportal.certificates.waiting import waiting_for
        from stportal.core.waiting import register_waiting_source
        from stportal.curricula.attachments import register_evidence_source

        register_waiting_source("certificates", waiting_for)
        register_evidence_source("certificate", evidence.evidence)
