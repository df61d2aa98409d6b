from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "stportal.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from stportal.core.erasure import register_anonymiser, register_expiry
        from stportal.core.personal_data import register_personal_data
        from stportal.notifications.personal_data import (
            anonymise,
            expire_old_email,
            personal_data,
        )

        register_personal_data("notifications", personal_data)
        register_anonymiser("notifications", anonymise)
        register_expiry("outbox", expire_old_email)
