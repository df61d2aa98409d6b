from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecondmentsConfig(AppConfig):
    name = "stportal.secondments"
    label = "secondments"
    verbose_name = _("Secondments, training allowance and credited service")

    def ready(self) -> None:
        from stportal.core.erasure import register_anonymiser
        from stportal.core.personal_data import register_personal_data
        from stportal.secondments.personal_data import anonymise, last_change, personal_data

        register_personal_data("secondments", personal_data)
        register_anonymiser("secondments", anonymise, last_change)

        from stportal.core.periods import register_period_source
        from stportal.core.permissions import register_audit_scope
        from stportal.core.yearly import register_year_section
        from stportal.secondments.selectors import period_source, year_section

        for label in ("secondment", "allowance", "servicecredit"):
            register_audit_scope(f"secondments.{label}", "trainee__home_unit__region")
        register_period_source("secondments", period_source)
        register_year_section("secondments", year_section)
