from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CurriculaConfig(AppConfig):
    name = "stportal.curricula"
    label = "curricula"
    verbose_name = _("Curricula")
