"""Supervisor statements (handledarutlåtanden, SPEC 5 P5): draft, ready for review, reviewed; every
version kept."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatementsConfig(AppConfig):
    name = "stportal.statements"
    label = "statements"
    verbose_name = _("Supervisor statements")

    def ready(self) -> None:
        from stportal.core.erasure import register_anonymiser
        from stportal.core.personal_data import register_personal_data
        from stportal.statements.personal_data import anonymise, last_change, personal_data

        register_personal_data("statements", personal_data)
        register_anonymiser("statements", anonymise, last_change)

        from stportal.core.permissions import register_audit_scope
        from stportal.core.waiting import register_waiting_source
        from stportal.statements.waiting import waiting_statements

        register_audit_scope("statements.supervisorstatement", "trainee__home_unit__region")
        register_audit_scope("statements.statementversion", "statement__trainee__home_unit__region")
        register_waiting_source("statements", waiting_statements)
