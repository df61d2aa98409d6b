from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FaqConfig(AppConfig):
    name = "stportal.faq"
    label = "faq"
    verbose_name = _("Questions and answers")

    def ready(self) -> None:
        from stportal.core.permissions import register_audit_scope

        # The questions belong to a region: their audit events are shown to its staff.
        register_audit_scope("faq.question", "region")
