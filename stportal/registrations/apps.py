from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "stportal.registrations"
    label = "registrations"
    verbose_name = _("Registrations")

    def ready(self) -> None:
        from stportal.core.erasure import register_anonymiser
        from stportal.core.personal_data import register_personal_data
        from stportal.registrations.personal_data import anonymise, last_change, personal_data

        register_personal_data("registrations", personal_data)
        register_anonymiser("registrations", anonymise, last_change)

        from stportal.core.periods import register_period_source
        from stportal.core.waiting import register_waiting_source
        from stportal.registrations.periods import course_week_periods
        from stportal.registrations.waiting import waiting_for

        register_waiting_source("registrations", waiting_for)
        register_period_source("course_weeks", course_week_periods)
