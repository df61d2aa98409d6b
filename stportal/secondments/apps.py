from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecondmentsConfig(AppConfig):
    name = "stportal.secondments"
    label = "secondments"
    verbose_name = _("Secondments, training allowance and credited service")
