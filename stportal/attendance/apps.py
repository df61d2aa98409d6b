from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    name = "stportal.attendance"
    label = "attendance"
    verbose_name = _("Attendance and results")

    def ready(self) -> None:
        from stportal.attendance.personal_data import anonymise, personal_data
        from stportal.core.erasure import register_anonymiser
        from stportal.core.personal_data import register_personal_data

        register_personal_data("attendance", personal_data)
        register_anonymiser("attendance", anonymise)

        from stportal.core.permissions import register_audit_scope

        # Staff see the audit trail of their own regions' registers and records.
        register_audit_scope("attendance.courseregister", "course__week__series__region")
        register_audit_scope("attendance.attendancerecord", "line__course__week__series__region")
        register_audit_scope("attendance.courseresult", "line__course__week__series__region")

        from stportal.attendance.waiting import waiting_for
        from stportal.core.waiting import register_waiting_source

        register_waiting_source("attendance", waiting_for)
