import unicodedata

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q

from project.folding import fold_case


def longest_login_name():
    user_model = get_user_model()
    return max(user_model._meta.get_field(name).max_length for name in (user_model.USERNAME_FIELD, "email"))


LONGEST_LOGIN_NAME = longest_login_name()


class UsernameOrEmailBackend(ModelBackend):
    """Log in with the username or the email address, in any letter case."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = self.find(username)
        # Django's own check of the account's password. A name that stands for nobody has no
        # exact username either, and Django hashes the password anyway, so that refusing an
        # unknown name takes as long as refusing a wrong password.
        name = username if user is None else user.get_username()
        return super().authenticate(request, username=name, password=password)

    def find(self, username):
        """The one account `username` (a username or an email, any case) names, or None."""
        if len(username) > LONGEST_LOGIN_NAME:
            return None  # nobody's: and SQLite refuses to compare a name of 50,000 characters
        # As usernames and emails are stored: "josé" typed with a combining accent is José's.
        username = unicodedata.normalize("NFKC", username)
        lookup = Q(username__iexact=username) | Q(email__iexact=username)
        # All of them: createsuperuser can make any number of usernames differing only in case.
        matches = list(get_user_model()._default_manager.filter(lookup))
        # Most specific first: the exact username, then the username in another
        # case, then the email; a tie at any level finds nobody.
        for rule in (
            lambda user: user.username == username,
            lambda user: fold_case(user.username) == fold_case(username),
            lambda user: True,
        ):
            found = [user for user in matches if rule(user)]
            if found:
                return found[0] if len(found) == 1 else None
        return None

    def get_all_permissions(self, user_obj, obj=None):
        """Django's permissions of the account (its own and its groups'), read in one query
        instead of two: every signed-in page asks for them (the navigation bar, the view's check)."""
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                perms = Permission.objects.all()
            else:
                perms = Permission.objects.filter(Q(user=user_obj) | Q(group__user=user_obj))
            names = perms.values_list("content_type__app_label", "codename").order_by()
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in names}
        return user_obj._perm_cache
