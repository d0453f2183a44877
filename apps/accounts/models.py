from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower


class User(AbstractUser):
    """A member of the school office. Email is required and unique in any case."""

    email = models.EmailField("email address", max_length=254)

    objects = UserManager()

    REQUIRED_FIELDS = ["email"]

    class Meta:
        ordering = ["username"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
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
