"""Auth events for the `apps.accounts` logger. Never log passwords or tokens."""

import logging

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

logger = logging.getLogger("apps.accounts")


def _on_login(sender, request, user, **kwargs):
    logger.info("login succeeded user_id=%s username=%s", user.pk, user.get_username())


def _on_login_failed(sender, credentials, request=None, **kwargs):
    # Django already masks secrets in `credentials`; take only the name tried (every login
    # of the site sends one; an `authenticate()` without one is logged as None).
    logger.warning("login failed username=%r", credentials.get("username"))


def _on_logout(sender, request, user, **kwargs):
    logger.info("logout user_id=%s", getattr(user, "pk", None))


def connect_auth_signals():
    user_logged_in.connect(_on_login, dispatch_uid="accounts.audit.login")
    user_login_failed.connect(_on_login_failed, dispatch_uid="accounts.audit.login_failed")
    user_logged_out.connect(_on_logout, dispatch_uid="accounts.audit.logout")
