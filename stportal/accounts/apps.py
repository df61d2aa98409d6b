from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "stportal.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from stportal.accounts.personal_data import anonymise, last_change, personal_data
        from stportal.core.erasure import register_anonymiser
        from stportal.core.personal_data import register_personal_data

        register_personal_data("accounts", personal_data)
        register_anonymiser("accounts", anonymise, last_change)

        from stportal.accounts.waiting import waiting_for
        from stportal.core.waiting import register_waiting_source

        register_waiting_source("accounts", waiting_for)
