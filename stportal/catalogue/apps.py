from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "stportal.catalogue"
    label = "catalogue"
    verbose_name = _("Course catalogue")

    def ready(self) -> None:
        from stportal.core.permissions import register_audit_scope

        # The catalogue belongs to a region: its audit events are shown to its staff.
        register_audit_scope("catalogue.provider", "region")
        register_audit_scope("catalogue.externalcourse", "provider__region")
