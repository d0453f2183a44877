"""model-bakery recipes for accounts: `baker.make_recipe("accounts.viewer")`.

Values come from callables, not `seq`, so `prepare_recipe` never touches the
database and stays usable in SimpleTestCase.
"""

from itertools import count

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from model_bakery.recipe import Recipe

from apps.accounts.models import User
from apps.accounts.roles import ADMINISTRATORS, REGISTRARS, VIEWERS

# The password every recipe user can log in with through the real login form.
KNOWN_PASSWORD = "correct-horse-battery-staple"  # noqa: S105

_numbers = count(1)


def _username():
    return f"user{next(_numbers)}"


def _email():
    return f"person{next(_numbers)}@school.example"


def _group(name):
    return lambda: [Group.objects.get(name=name)]


# What sign-up creates: an account with no role, waiting for the office to
# approve it. Every other kind of user extends it; all log in with KNOWN_PASSWORD.
pending = Recipe(
    User,
    username=_username,
    email=_email,
    first_name="Ada",
    last_name="Lovelace",
    password=lambda: make_password(KNOWN_PASSWORD),
)
# Made in the admin as staff but without a group: no role, so treated as pending.
roleless = pending.extend(is_staff=True)
viewer = pending.extend(groups=_group(VIEWERS))
registrar = pending.extend(groups=_group(REGISTRARS))
administrator = pending.extend(groups=_group(ADMINISTRATORS))
superuser = pending.extend(is_staff=True, is_superuser=True)
inactive_user = pending.extend(is_active=False)
