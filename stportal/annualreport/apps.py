from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnnualreportConfig(AppConfig):
    name = "stportal.annualreport"
    label = "annualreport"
    verbose_name = _("Annual reports")
