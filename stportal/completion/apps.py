from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompletionConfig(AppConfig):
    name = "stportal.completion"
    label = "completion"
    verbose_name = _("Specialist application")

    def ready(self) -> None:
        from stportal.completion.personal_data import anonymise, last_change, personal_data
        from stportal.core.erasure import register_anonymiser
        from stportal.core.personal_data import register_personal_data

        register_personal_data("completion", personal_data)
        register_anonymiser("completion", anonymise, last_change)

        from stportal.completion.selectors import SOURCE, summary_evidence
        from stportal.core.permissions import register_audit_scope
        from stportal.curricula.attachments import register_evidence_source

        register_audit_scope("completion.summarycertificate", "trainee__home_unit__region")
        register_audit_scope("completion.applicationform", "region")
        register_evidence_source(SOURCE, summary_evidence)
