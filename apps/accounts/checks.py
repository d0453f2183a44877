"""Deployment checks (`manage.py check --deploy --database default`, which `make serve` runs before it starts).

Like Django's own checks of a database, they read one only when `--database` names it.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def demo_passwords_changed(app_configs=None, databases=None, **kwargs):
    """No account may keep a demo password: they are published in the repository."""
    from apps.students.management.commands.seed_demo import DEMO_ACCOUNTS

    errors = []
    for alias, (username, _, password, _) in ((alias, demo) for alias in databases or () for demo in DEMO_ACCOUNTS):
        account = get_user_model()._default_manager.using(alias).filter(username=username).first()
        if account is not None and check_password(password, account.password):  # (never rehashed by a check)
            errors.append(
                Error(
                    f"The account {username!r} still has its demo password, which anyone can read.",
                    hint=f"Delete it, or give it a new password: manage.py changepassword {username}",
                    id="accounts.E001",
                )
            )
    return errors
