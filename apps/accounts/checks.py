"""Deployment checks (`manage.py check --deploy`, which `make serve` runs before it starts)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def demo_passwords_changed(app_configs=None, **kwargs):
    """No account may keep a demo password: they are published in the repository."""
    from apps.students.management.commands.seed_demo import DEMO_ACCOUNTS

    errors = []
    for username, _, password, _ in DEMO_ACCOUNTS:
        account = get_user_model()._default_manager.filter(username=username).first()
        if account is not None and check_password(password, account.password):  # (never rehashed by a check)
            errors.append(
                Error(
                    f"The account {username!r} still has its demo password, which anyone can read.",
                    hint=f"Delete it, or give it a new password: manage.py changepassword {username}",
                    id="accounts.E001",
                )
            )
    return errors
