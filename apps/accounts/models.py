from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from project.fields import AlphabeticalCharField, EmailAddressField
from project.sqlite.functions import CaseFolded
from project.validators import validate_single_line


class UsernameValidator(UnicodeUsernameValidator):
    """Django's rule for usernames, telling of the characters still allowed ("@" has its own rule)."""

    message = "Enter a valid username. This value may contain only letters, numbers, and ./+/-/_ characters."


def validate_username_has_no_at_sign(username):
    """Emails are login names too: a username with "@" could shadow somebody's email."""
    if "@" in username:
        raise ValidationError("A username may not contain “@”: your email address already logs you in.")


class User(AbstractUser):
    """A member of the school office. Email is required and unique in any case."""

    username = AlphabeticalCharField(
        "username",
        max_length=150,
        unique=True,
        help_text="150 characters or fewer: letters, digits and . + - _ only (no @).",
        validators=[UsernameValidator(), validate_username_has_no_at_sign],
        error_messages={"unique": "A user with that username already exists."},
    )
    email = EmailAddressField("email address", max_length=254)
    # Names show on the People page and in mails: one line of visible text (project/validators.py).
    first_name = models.CharField("first name", max_length=150, blank=True, validators=[validate_single_line])
    last_name = models.CharField("last name", max_length=150, blank=True, validators=[validate_single_line])

    objects = UserManager()

    REQUIRED_FIELDS = ["email"]

    class Meta:
        ordering = ["username"]
        constraints = [
            models.UniqueConstraint(
                CaseFolded("email"),
                name="accounts_user_email_ci_unique",
                violation_error_message="A user with that email address already exists.",
            ),
        ]

    def __str__(self):
        return self.username

    @property
    def role(self):
        """`none`, `viewer`, `registrar` or `administrator` (see roles.py)."""
        from .roles import role_of

        return role_of(self)

    def get_role_display(self):
        from .roles import ROLE_LABELS

        return ROLE_LABELS[self.role]


class PasswordResetRequest(models.Model):
    """One password-reset request, to hold each address to a few mails an hour.

    The address is kept only as a keyed digest: the table says how often, never who.
    """

    address_digest = models.CharField(max_length=64)
    requested_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["address_digest", "requested_at"])]

    def __str__(self):
        return f"password reset requested at {self.requested_at:%Y-%m-%d %H:%M}"
