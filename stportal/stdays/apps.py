from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StdaysConfig(AppConfig):
    name = "stportal.stdays"
    label = "stdays"
    verbose_name = _("ST-day certificates")
