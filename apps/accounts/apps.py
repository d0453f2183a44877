from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from . import audit, roles, throttling

        audit.connect_auth_signals()
        throttling.connect_lockout_signal()
        # A post_migrate handler (not a data migration) so the groups also
        # come back after TransactionTestCase flushes the database.
        post_migrate.connect(roles.sync_role_groups, dispatch_uid="accounts.sync_role_groups")
