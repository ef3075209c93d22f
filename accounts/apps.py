from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and organisations"

    def ready(self):
        from accounts import admin_site, signals  # noqa: F401  (connects receivers)

        admin_site.protect_admin_login()
