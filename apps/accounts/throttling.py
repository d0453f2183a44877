"""Login throttling: django-axes counts failed logins per account and address.

Five failures in a row for one account from one address lock that pair for
`AXES_COOLOFF_TIME` on the login form, the admin login and `POST /api/token/`
alike (settings: `AXES_*` in project/settings/base.py). More than
LOGIN_FAILURES_PER_ADDRESS failures in a minute from one address, whatever
the names, refuse that address for the rest of the minute: a flood of guesses
costs no password hashing. Both are answered before any password is checked.
The attempts live in the database, so every gunicorn worker sees the same count.
"""

import logging
import math
from datetime import timedelta

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_credentials
from axes.models import AccessFailureLog
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import timezone
from django.utils.timesince import timesince
from rest_framework.exceptions import Throttled
from rest_framework.throttling import BaseThrottle

from .backends import LONGEST_LOGIN_NAME, UsernameOrEmailBackend

logger = logging.getLogger("apps.accounts")


def in_words(duration):
    """A duration as people read it, in Django's words: "15 minutes", "1 hour, 30 minutes"."""
    return timesince(timezone.now() - duration).replace("\N{NO-BREAK SPACE}", " ")


# How long a locked account waits, as the setting says it: the message, the API and its schema.
COOLOFF_IN_WORDS = in_words(settings.AXES_COOLOFF_TIME)
COOLOFF_SECONDS = int(settings.AXES_COOLOFF_TIME.total_seconds())
LOCKOUT_MESSAGE = f"Too many failed attempts. Try again in {COOLOFF_IN_WORDS}."
FLOOD_MESSAGE = "Too many failed logins from your network. Try again in a minute."
FLOOD_WINDOW = timedelta(minutes=1)


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
        # (Cut to the longest name an account can have: the attempts' table holds no more.)
        known[typed] = user.get_username() if user is not None else typed.lower()[:LONGEST_LOGIN_NAME]
    return known[typed]


class LoginAttemptHandler(AxesDatabaseHandler):
    """axes' database handler, also refusing an address that failed too often in the last minute."""

    def is_locked(self, request, credentials=None):
        return address_flooded(request) or super().is_locked(request, credentials)


def address_flooded(request):
    """Whether the request's address failed LOGIN_FAILURES_PER_ADDRESS times in the last minute.

    Notes on the request how long until it may try again (`login_flood_wait`: the seconds
    until the oldest of those failures is a minute old), or None.
    """
    since = timezone.now() - FLOOD_WINDOW
    failures = AccessFailureLog.objects.filter(ip_address=request.axes_ip_address, attempt_time__gte=since)
    limit = settings.LOGIN_FAILURES_PER_ADDRESS
    times = list(failures.order_by("-attempt_time").values_list("attempt_time", flat=True)[:limit])
    request.login_flood_wait = seconds_until(times[-1] + FLOOD_WINDOW) if len(times) == limit else None
    return request.login_flood_wait is not None


def turned_away_as_a_flood(request):
    """Whether this login was refused for its address's flood of failures (not its account's lock).

    Asked only after a login door checked the address (`address_flooded`), which notes it.
    """
    return request.login_flood_wait is not None


def seconds_until(moment):
    """Whole seconds from now until `moment`, at least one."""
    return max(1, math.ceil((moment - timezone.now()).total_seconds()))


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
            return ValidationError(refusal_message(self.request))
        return super().get_invalid_login_error()


class CurrentPasswordThrottleMixin:
    """For the password change form: its "current password" is a password guess like a
    login's. A wrong one counts toward the account's lock (every login door's count), and
    a locked account's is not checked at all: the form answers 429 with the lock's message.
    Set `self.request`."""

    def clean_old_password(self):
        credentials = {"username": self.user.get_username()}
        if not AxesProxyHandler.is_allowed(self.request, credentials):
            self.request.axes_locked_out = True  # AxesMiddleware makes the answer a 429
            raise ValidationError(refusal_message(self.request), code="locked")
        try:
            return super().clean_old_password()
        except ValidationError:
            user_login_failed.send(sender=type(self), credentials=credentials, request=self.request)
            if self.request.axes_locked_out:  # this was the guess that locked it
                raise ValidationError(refusal_message(self.request), code="locked") from None
            raise


def refusal_message(request):
    """Why a login door refused before checking the password."""
    return FLOOD_MESSAGE if turned_away_as_a_flood(request) else LOCKOUT_MESSAGE


def lockout_response(request, original_response, credentials):
    """axes' answer to a locked login: the form as re-rendered (with the message), as 429."""
    original_response.status_code = settings.AXES_HTTP_RESPONSE_CODE
    return original_response


def seconds_left(request, credentials):
    """How long the refusal of this login still lasts (at least one second)."""
    if turned_away_as_a_flood(request):
        return request.login_flood_wait
    attempts = AxesProxyHandler.get_implementation().get_user_attempts(request, credentials)
    last_failure = max(queryset.aggregate(last=Max("attempt_time"))["last"] for queryset in attempts)
    return seconds_until(last_failure + settings.AXES_COOLOFF_TIME)


class LockedOut(Throttled):
    """429 JSON with the form's message; DRF sends `wait` as the Retry-After header."""

    def __init__(self, wait, message):
        super().__init__(detail=message)
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
        log_lockout(request, username=login_name(request, credentials), ip_address=request.axes_ip_address)
        return False

    def wait(self):
        return self.retry_after


def log_lockout(request, username, ip_address, **kwargs):
    """Every locked refusal, from the fifth failure on (never the password); also axes' receiver."""
    if turned_away_as_a_flood(request):
        logger.warning("login refused: too many failures from address=%s username=%r", ip_address, username)
    else:
        logger.warning("login locked out username=%r address=%s", username, ip_address)


def connect_lockout_signal():
    from axes.signals import user_locked_out

    user_locked_out.connect(log_lockout, dispatch_uid="accounts.throttling.locked_out")
