from django.apps import AppConfig, apps
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate


class OfficeAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the office's own site (admin_site.py)."""

    default = False  # "apps.accounts" names AccountsConfig
    default_site = "apps.accounts.admin_site.OfficeAdminSite"


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from . import audit, checks, roles, throttling  # noqa: F401 (checks registers itself)

        audit.connect_auth_signals()
        throttling.connect_lockout_signal()
        # A post_migrate handler (not a data migration) so the groups also
        # come back after TransactionTestCase flushes the database. Once per
        # migrate or flush, after the last app's signal: every permission the
        # groups carry exists by then (the signal goes to each app with models).
        last_app = [config for config in apps.get_app_configs() if config.models_module][-1]
        post_migrate.connect(roles.sync_role_groups, sender=last_app, dispatch_uid="accounts.sync_role_groups")
