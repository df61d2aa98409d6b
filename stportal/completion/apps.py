from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompletionConfig(AppConfig):
    name = "stportal.completion"
    label = "completion"
    verbose_name = _("Specialist application")
