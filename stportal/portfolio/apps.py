from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortfolioConfig(AppConfig):
    name = "stportal.portfolio"
    label = "portfolio"
    verbose_name = _("ST record")

    def ready(self) -> None:
        from stportal.curricula.coverage import CERTIFICATE, COURSE
        from stportal.curricula.sources import register_coverage_source
        from stportal.portfolio import sources

        # What of the course programme covers a trainee's goals (SPEC 5 P1).
        register_coverage_source(COURSE, sources.passed_courses)
        register_coverage_source(CERTIFICATE, sources.issued_certificates)
