from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q


class UsernameOrEmailBackend(ModelBackend):
    """Log in with the username or the email address, in any letter case."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = self._find(username)
        if user is None:
            # Run the hasher anyway so unknown names take as long as known ones.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def _find(self, username):
        lookup = Q(username__iexact=username) | Q(email__iexact=username)
        matches = list(get_user_model()._default_manager.filter(lookup)[:2])
        if len(matches) > 1:
            # One account's username is another's email: the username wins.
            matches = [user for user in matches if user.username.lower() == username.lower()]
        return matches[0] if len(matches) == 1 else None
