from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StdaysConfig(AppConfig):
    name = "stportal.stdays"
    label = "stdays"
    verbose_name = _("ST-day certificates")

    def ready(self) -> None:
        from stportal.core.erasure import register_anonymiser
        from stportal.core.personal_data import register_personal_data
        from stportal.stdays.personal_data import anonymise, last_change, personal_data

        register_personal_data("stdays", personal_data)
        register_anonymiser("stdays", anonymise, last_change)

        from stportal.core.periods import register_period_source
        from stportal.core.permissions import register_audit_scope
        from stportal.curricula.attachments import register_evidence_source
        from stportal.curricula.sources import register_coverage_source
        from stportal.stdays import evidence
        from stportal.stdays.periods import st_day_periods
        from stportal.stdays.selectors import coverage_source

        register_audit_scope("stdays.stdaycertificate", "trainee__home_unit__region")
        register_coverage_source("st_day", coverage_source)
        register_evidence_source("st_day", evidence.evidence)
        register_period_source("st_days", st_day_periods)
