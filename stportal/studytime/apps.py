from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudytimeConfig(AppConfig):
    name = "stportal.studytime"
    label = "studytime"
    verbose_name = _("Study time")
