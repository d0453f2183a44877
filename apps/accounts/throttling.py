"""Login throttling: django-axes counts failed logins per account and address.

Five failures in a row for one account from one address lock that pair for
15 minutes on the login form, the admin login and `POST /api/token/` alike
(settings: `AXES_*` in project/settings/base.py). The attempts live in the
database, so every gunicorn worker sees the same count.
"""

import logging
import math
from datetime import timedelta

from axes.backends import AxesStandaloneBackend
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_credentials
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import timezone
from django.utils.crypto import salted_hmac
from rest_framework.exceptions import Throttled
from rest_framework.throttling import BaseThrottle

from .backends import UsernameOrEmailBackend

logger = logging.getLogger("apps.accounts")

LOCKOUT_MESSAGE = "Too many failed attempts. Try again in 15 minutes."

RESET_MAILS_PER_HOUR = 3


def login_name(request, credentials):
    """The account a login attempt is for, whichever name was typed.

    The username, the email address and any letter case of either all count
    against one account: otherwise "alice", "ALICE" and alice@school.example
    would each get five guesses of their own. (Usernames never contain "@",
    so an email can never be mistaken for somebody else's username.)
    Names of nobody count in lower case.
    """
    typed = (credentials or {}).get("username")
    if not isinstance(typed, str):
        return None
    # No name holds a NUL (the forms and the API refuse it), and PostgreSQL text cannot:
    # the token endpoint's lock check runs before that refusal.
    typed = typed.replace("\x00", "")
    known = vars(request).setdefault("_login_names", {})  # three lookups per attempt otherwise
    if typed not in known:
        user = UsernameOrEmailBackend().find(typed)
        known[typed] = user.get_username() if user is not None else typed.lower()
    return known[typed]


class LoginThrottleBackend(AxesStandaloneBackend):
    """Refuses a locked account before any password is checked.

    Only password logins over HTTP are counted: a login without a request (a
    script's `authenticate()`) has no address to count against, and one
    without a username (the test harness's `user=`) is none of its business.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or username is None:
            return None
        # The lock is on the name and the address (AXES_LOCKOUT_PARAMETERS): the password plays no part.
        return super().authenticate(request, username=username)


class LockoutMessageMixin:
    """For authentication forms: a locked account is told so, not "wrong password"."""

    def get_invalid_login_error(self):
        if getattr(self.request, "axes_locked_out", False):
            return ValidationError(LOCKOUT_MESSAGE)
        return super().get_invalid_login_error()


def lockout_response(request, original_response, credentials):
    """axes' answer to a locked login: the form as re-rendered (with the message), as 429."""
    original_response.status_code = settings.AXES_HTTP_RESPONSE_CODE
    return original_response


def seconds_left(request, credentials):
    """How long the lock on this account and address still lasts (at least one second)."""
    attempts = AxesProxyHandler.get_implementation().get_user_attempts(request, credentials)
    last_failure = max(queryset.aggregate(last=Max("attempt_time"))["last"] for queryset in attempts)
    left = last_failure + settings.AXES_COOLOFF_TIME - timezone.now()
    return max(1, math.ceil(left.total_seconds()))


class LockedOut(Throttled):
    """429 JSON with the form's message; DRF sends `wait` as the Retry-After header."""

    def __init__(self, wait):
        super().__init__(detail=LOCKOUT_MESSAGE)
        self.wait = wait


class LoginLockoutThrottle(BaseThrottle):
    """The token endpoint's door: a locked account gets 429 with `Retry-After`.

    DRF answers the throttle itself (JSON and header) before any password is checked.
    """

    def allow_request(self, request, view):
        data = request.data
        username = data.get("username") if isinstance(data, dict) else None
        credentials = get_credentials(username)
        if AxesProxyHandler.is_allowed(request, credentials):
            return True
        self.retry_after = seconds_left(request, credentials)
        log_lockout(username=login_name(request, credentials), ip_address=request.axes_ip_address)
        return False

    def wait(self):
        return self.retry_after


def log_lockout(username, ip_address, **kwargs):
    """Every locked refusal, from the fifth failure on (never the password); also axes' receiver."""
    logger.warning("login locked out username=%r address=%s", username, ip_address)


def connect_lockout_signal():
    from axes.signals import user_locked_out

    user_locked_out.connect(log_lockout, dispatch_uid="accounts.throttling.locked_out")


# -- password-reset mail -----------------------------------------------------


def reset_mail_allowed(email):
    """Whether another reset mail may go to `email` now (at most 3 an hour); counts this one.

    Kept in the database, so every worker counts together. Locking the
    address's rows first makes simultaneous requests take turns on PostgreSQL
    (SQLite writers take turns anyway).
    """
    from .models import PasswordResetRequest

    now = timezone.now()
    PasswordResetRequest.objects.filter(requested_at__lte=now - timedelta(hours=1)).delete()
    digest = salted_hmac("password-reset-mail", email.strip().lower()).hexdigest()
    recent = list(PasswordResetRequest.objects.filter(address_digest=digest).select_for_update())
    if len(recent) >= RESET_MAILS_PER_HOUR:
        logger.warning("password reset mail withheld: %d this hour to address=%s", RESET_MAILS_PER_HOUR, masked(email))
        return False
    PasswordResetRequest.objects.create(address_digest=digest)
    return True


def masked(email):
    """`k***@school.example`: enough to recognise in a log, not to read the address off it."""
    name, _, domain = email.rpartition("@")  # a quoted name may hold an "@" too, a domain never
    return f"{name[:1]}***@{domain}"
