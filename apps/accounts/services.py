"""Every accounts event that changes data, and only here.

Each service takes keyword arguments, validates, writes in one transaction
and writes its audit line to the `apps.accounts` logger (ids and names, never
passwords or tokens). Views and forms call them; flash messages stay in views.
"""

import logging
import smtplib
from datetime import timedelta

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import salted_hmac
from rest_framework.authtoken.models import Token

from project.saving import validate_and_save

from .models import PasswordResetRequest
from .roles import ADMINISTRATOR, NONE, ROLE_ALLOWS, ROLE_GROUPS, ROLE_LABELS, ROLES, role_of

logger = logging.getLogger("apps.accounts")


# Both names are asked at sign-up: they show the office who is asking for access.
NAMES_REQUIRED = {"first_name": "Enter your first name.", "last_name": "Enter your last name."}


class RoleChangeRefused(Exception):
    """The role was not changed; the message says why, for the administrator."""


def user_sign_up(*, username, email, first_name, last_name, password):
    """A new account with no role: it waits for the office to approve it."""
    user = get_user_model()(username=username, email=email, first_name=first_name, last_name=last_name)
    missing = {field: message for field, message in NAMES_REQUIRED.items() if not getattr(user, field).strip()}
    if missing:
        raise ValidationError(missing)
    password_validation.validate_password(password, user)
    user.set_password(password)
    with transaction.atomic():  # so a simultaneous sign-up of the same name or email is refused as a field error
        _one_sign_up_at_a_time_per_username(user.username)
        if type(user).objects.filter(username__iexact=user.username).exists():  # the unique index minds case
            raise ValidationError({"username": user._meta.get_field("username").error_messages["unique"]})
        validate_and_save(user)
        logger.info("sign-up user_id=%s username=%s", user.pk, user.get_username())
    return user


def _one_sign_up_at_a_time_per_username(username):
    """Sign-ups of one username in any capitals take turns until the transaction ends, so each
    sees the ones before. SQLite's writers always take turns; PostgreSQL is asked for a lock."""
    if connection.vendor == "postgresql":  # pragma: no cover - make test-postgres
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(LOWER(UPPER(%s))))", [username])


def role_set(*, user, role, actor, login_url):
    """Give `user` exactly `role` (one of ROLES); `none` also revokes their API token.

    Giving the account a role, or another one, emails it the role it now has and
    `login_url`. Returns whether that email went out: True, False when the mail
    server refused it (the role stays set), None when no email was due.
    """
    if role not in ROLES:
        raise RoleChangeRefused(f"Choose one of these roles: {', '.join(ROLES)}.")
    if user.pk == actor.pk and role != ADMINISTRATOR:
        raise RoleChangeRefused("You cannot take away your own administrator role.")
    if user.is_superuser and role != ADMINISTRATOR:
        raise RoleChangeRefused(f"{user} is a superuser: change that in the Django admin.")
    before = role_of(user)
    with transaction.atomic():
        user.groups.remove(*Group.objects.filter(name__in=ROLE_GROUPS.values()))
        if role != NONE:
            user.groups.add(Group.objects.get(name=ROLE_GROUPS[role]))
        _role_now(user=user, role=role, actor=actor)
    return _email_role(user=user, before=before, role=role, login_url=login_url)


def account_saved_in_admin(*, user, actor, changed_fields, login_url):
    """An account added (`changed_fields` None) or changed in the Django admin by `actor`.

    Superuser status is the administrator role and the key to the admin: giving or taking
    it is a role change like the People page's (logged, emailed, the API token ended when
    no role is left), and staff status follows it. Returns what role_set returns.
    """
    with transaction.atomic():
        if changed_fields is None:
            user.save()
            logger.info("account added in the admin user_id=%s by user_id=%s", user.pk, actor.pk)
            return None
        before = role_of(type(user).objects.get(pk=user.pk))
        user.is_staff = user.is_superuser
        user.save()
        logger.info(
            "account changed in the admin user_id=%s by user_id=%s fields=%s",
            user.pk,
            actor.pk,
            ",".join(changed_fields),
        )
        role = role_of(user)
        if role == before:
            return None
        _role_now(user=user, role=role, actor=actor)
    return _email_role(user=user, before=before, role=role, login_url=login_url)


def account_deleted_in_admin(*, user, actor):
    """An account deleted in the Django admin by `actor` (its API token goes with it)."""
    with transaction.atomic():
        user_id = user.pk
        user.delete()
        logger.info("account deleted in the admin user_id=%s by user_id=%s", user_id, actor.pk)


def _role_now(*, user, role, actor):
    """Log `user`'s new `role`; an account left without one loses its API token."""
    if role == NONE:
        token_revoke(user=user, reason="role removed")
    logger.info("role set user_id=%s role=%s by user_id=%s", user.pk, role, actor.pk)


def _email_role(*, user, before, role, login_url):
    """Email `user` the role they now have, when they gained one or it changed (see role_set)."""
    if role in (NONE, before):
        return None
    context = {
        "user": user,
        "approved": before == NONE,
        "before": ROLE_LABELS[before],
        "role": ROLE_LABELS[role],
        "allows": ROLE_ALLOWS[role],
        "login_url": login_url,
    }
    subject = render_to_string("accounts/email/role_set_subject.txt", context).strip()
    try:
        send_mail(subject, render_to_string("accounts/email/role_set.txt", context), None, [user.email])
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("role email not sent user_id=%s error=%s", user.pk, error.__class__.__name__)
        return False
    logger.info("role email sent user_id=%s role=%s", user.pk, role)
    return True


# How each way of setting a password is logged, and why it ends the account's API token.
PASSWORD_EVENTS = {
    "change": ("password changed", "password changed"),
    "reset": ("password reset completed", "password reset"),
    "admin": ("password set in the admin", "password set in the admin"),
}


def password_set(*, user, password, event):
    """Give `user` a new password (None: no usable password) and end their API token,
    in one transaction. `event` is how it was set: `change`, `reset` or `admin`."""
    logged, reason = PASSWORD_EVENTS[event]
    with transaction.atomic():
        if password is None:
            user.set_unusable_password()
        else:
            user.set_password(password)
        user.save(update_fields=["password"])
        logger.info("%s user_id=%s", logged, user.pk)
        token_revoke(user=user, reason=reason)
    return user


# Password-reset mails to one address: at most this many in this window.
RESET_MAILS_PER_HOUR = 3
RESET_MAIL_WINDOW = timedelta(hours=1)


def password_reset_requested(*, email, matching_accounts):
    """A request for a password-reset mail to `email`, which `matching_accounts` accounts have:
    whether the mail may go (at most RESET_MAILS_PER_HOUR an hour to one address), counting it.

    The requests are kept in the database, so every worker counts together, and
    only as a keyed digest of the address. Locking the address's rows makes
    simultaneous requests take turns on PostgreSQL (SQLite writers take turns anyway).
    """
    logger.info("password reset requested matching_accounts=%d", matching_accounts)
    digest = salted_hmac("password-reset-mail", email.strip().lower()).hexdigest()
    with transaction.atomic():
        PasswordResetRequest.objects.filter(requested_at__lte=timezone.now() - RESET_MAIL_WINDOW).delete()
        recent = list(PasswordResetRequest.objects.filter(address_digest=digest).select_for_update())
        if len(recent) >= RESET_MAILS_PER_HOUR:
            logger.warning(
                "password reset mail withheld: %d this hour to address=%s", RESET_MAILS_PER_HOUR, masked(email)
            )
            return False
        PasswordResetRequest.objects.create(address_digest=digest)
    return True


def masked(email):
    """`k***@school.example`: enough to recognise in a log, not to read the address off it."""
    name, _, domain = email.rpartition("@")  # a quoted name may hold an "@" too, a domain never
    return f"{name[:1]}***@{domain}"


def token_login(*, user, request):
    """A client trading `user`'s password for the API token (`POST /api/token/`): the token,
    made on the first request, and a login like any other (its audit line, the last login,
    the failure count starting again)."""
    with transaction.atomic():
        token, created = Token.objects.get_or_create(user=user)
        if created:
            logger.info("api token created user_id=%s", user.pk)
        user_logged_in.send(sender=user.__class__, request=request, user=user)
    return token


def token_regenerate(*, user):
    """A new API token for `user`; the old key stops working at once.

    Returns the token and whether it replaced one (False: the account's first).
    """
    with transaction.atomic():
        replaced, _ = Token.objects.filter(user=user).delete()
        token = Token.objects.create(user=user)
        logger.info("api token %s user_id=%s", "regenerated" if replaced else "created", user.pk)
    return token, bool(replaced)


def token_revoke(*, user, reason):
    """Delete `user`'s API token (after a password change or reset, or losing the role)."""
    with transaction.atomic():
        deleted, _ = Token.objects.filter(user=user).delete()
        logger.info("api token revoked user_id=%s reason=%s tokens=%d", user.pk, reason, deleted)
