from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "stportal.registrations"
    label = "registrations"
    verbose_name = _("Registrations")

    def ready(self) -> None:
        from stportal.core.waiting import register_waiting_source
        from stportal.registrations.waiting import waiting_for

        register_waiting_source("registrations", waiting_for)
