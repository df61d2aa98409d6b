"""Annual reports (årsrapporter, SPEC 5 P13): the year's record assembled, completed by the
trainee and the supervisor, reviewed by the study director; every version kept."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnnualreportConfig(AppConfig):
    name = "stportal.annualreport"
    label = "annualreport"
    verbose_name = _("Annual reports")

    def ready(self) -> None:
        from stportal.annualreport.personal_data import anonymise, last_change, personal_data
        from stportal.core.erasure import register_anonymiser
        from stportal.core.personal_data import register_personal_data

        register_personal_data("annualreport", personal_data)
        register_anonymiser("annualreport", anonymise, last_change)

        from stportal.annualreport import sections
        from stportal.annualreport.waiting import waiting_reports
        from stportal.core.permissions import register_audit_scope
        from stportal.core.waiting import register_waiting_source
        from stportal.core.yearly import register_year_section

        register_audit_scope("annualreport.annualreport", "trainee__home_unit__region")
        register_audit_scope(
            "annualreport.annualreportversion", "report__trainee__home_unit__region"
        )
        register_waiting_source("annual_reports", waiting_reports)
        register_year_section("course_weeks", sections.course_weeks)
        register_year_section("course_certificates", sections.course_certificates)
        register_year_section("st_day_certificates", sections.st_day_certificates)
        register_year_section("funded_courses", sections.funded_courses)
        register_year_section("reviewed_statements", sections.reviewed_statements)
