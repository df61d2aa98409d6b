from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudytimeConfig(AppConfig):
    name = "stportal.studytime"
    label = "studytime"
    verbose_name = _("Study time")

    def ready(self) -> None:
        from stportal.core.erasure import register_anonymiser
        from stportal.core.personal_data import register_personal_data
        from stportal.studytime.personal_data import anonymise, last_change, personal_data

        register_personal_data("studytime", personal_data)
        register_anonymiser("studytime", anonymise, last_change)

        from stportal.core.permissions import register_audit_scope
        from stportal.core.yearly import register_year_section
        from stportal.studytime.selectors import year_section

        register_audit_scope("studytime.studytimeentry", "trainee__home_unit__region")
        register_year_section("study_time", year_section)
