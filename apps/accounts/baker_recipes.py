"""model-bakery recipes for accounts: `baker.make_recipe("accounts.viewer")`.

Values come from callables, not `seq`, so `prepare_recipe` never touches the
database and stays usable in SimpleTestCase.
"""

from itertools import count

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from model_bakery.recipe import Recipe

from apps.accounts.models import User
from apps.accounts.roles import REGISTRARS, VIEWERS

# The password every recipe user can log in with through the real login form.
KNOWN_PASSWORD = "correct-horse-battery-staple"  # noqa: S105

_numbers = count(1)


def _username():
    return f"user{next(_numbers)}"


def _email():
    return f"person{next(_numbers)}@school.example"


def _group(name):
    return lambda: [Group.objects.get(name=name)]


# A user with no role whose password is the harness's KNOWN_PASSWORD.
user = Recipe(
    User,
    username=_username,
    email=_email,
    first_name="Ada",
    last_name="Lovelace",
    password=lambda: make_password(KNOWN_PASSWORD),
)
viewer = user.extend(groups=_group(VIEWERS))
registrar = user.extend(groups=_group(REGISTRARS))
superuser = user.extend(is_staff=True, is_superuser=True)
inactive_user = user.extend(is_active=False)
