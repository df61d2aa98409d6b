from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanConfig(AppConfig):
    name = "stportal.plan"
    label = "plan"
    verbose_name = _("Education plan and timeline")

    def ready(self) -> None:
        from stportal.core.erasure import register_anonymiser
        from stportal.core.personal_data import register_personal_data
        from stportal.plan.personal_data import anonymise, last_change, personal_data

        register_personal_data("plan", personal_data)
        register_anonymiser("plan", anonymise, last_change)

        from stportal.core.periods import register_period_source
        from stportal.core.permissions import register_audit_scope
        from stportal.core.yearly import register_year_section
        from stportal.curricula.attachments import register_evidence_source
        from stportal.curricula.sources import register_coverage_source
        from stportal.plan import selectors

        register_audit_scope("plan.planitem", "trainee__home_unit__region")
        register_coverage_source("plan", selectors.coverage_source)
        register_period_source("plan", selectors.period_source)
        register_evidence_source("plan", selectors.evidence_source)
        register_year_section("plan", selectors.year_section)
