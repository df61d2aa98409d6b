"""Competence assessments (kompetensbedömningar, SPEC 5 P12): Mini-CEX, CBD, DOPS and 360°,
started by the trainee, completed by the assessor they name through a single-use link."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "stportal.assessments"
    label = "assessments"
    verbose_name = _("Competence assessments")

    def ready(self) -> None:
        from stportal.assessments.personal_data import anonymise, last_change, personal_data
        from stportal.core.erasure import register_anonymiser
        from stportal.core.personal_data import register_personal_data

        register_personal_data("assessments", personal_data)
        register_anonymiser("assessments", anonymise, last_change)

        from stportal.assessments.selectors import year_section
        from stportal.assessments.waiting import waiting_assessments
        from stportal.core.permissions import register_audit_scope
        from stportal.core.waiting import register_waiting_source
        from stportal.core.yearly import register_year_section

        register_audit_scope("assessments.assessment", "trainee__home_unit__region")
        register_audit_scope("assessments.regionexpectation", "region")
        register_waiting_source("assessments", waiting_assessments)
        register_year_section("assessments", year_section)
