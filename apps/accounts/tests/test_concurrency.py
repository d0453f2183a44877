"""Accounts made at the same moment with one email or username, typed in different forms: one is saved,
every other person sees the field error (never a server error). Threads that commit for real,
on SQLite and on PostgreSQL (make test-postgres), as in apps/students/tests/test_concurrency.py."""

from django.test import Client

from apps.accounts.models import User
from apps.accounts.tests.form_data import GOOD_PASSWORD, signup_form_data
from apps.students.tests.test_concurrency import RACERS, RaceTestCase
from project.testing import SUPERUSER, make_user

EMAIL_TAKEN = "A user with that email address already exists."
USERNAME_TAKEN = "A user with that username already exists."
# One address, as different people type it: capitals, an accent typed as a mark of its own.
FORMS_OF_ONE_EMAIL = ("zoe@lycée.example", "ZOE@LYCÉE.example", "zoe@lyce\u0301e.example", "Zoe@Lycée.Example")


def one_email(n):
    return FORMS_OF_ONE_EMAIL[n % len(FORMS_OF_ONE_EMAIL)]


class TestAccountsMadeAtTheSameMomentWithOneEmail(RaceTestCase):
    def test_sign_up_makes_one_and_shows_every_other_visitor_the_email_is_taken(self):
        def sign_up(n, client):
            response = client.post("/accounts/signup/", signup_form_data(username=f"newcomer{n}", email=one_email(n)))
            return response.status_code, EMAIL_TAKEN in response.content.decode()

        outcomes = self.race(sign_up, get_ready=lambda n: Client())

        self.assertEqual(sorted(outcomes), [(200, True)] * (RACERS - 1) + [(302, False)])
        self.assertEqual(User.objects.filter(username__startswith="newcomer").count(), 1)

    def test_sign_up_makes_one_account_of_a_username_typed_in_different_capitals(self):
        forms_of_one_name = ("Grüß0", "GRÜSS0", "grüss0", "gRüSs0")

        def sign_up(n, client):
            name, email = forms_of_one_name[n % len(forms_of_one_name)], f"newcomer{n}@school.example"
            response = client.post("/accounts/signup/", signup_form_data(username=name, email=email))
            return response.status_code, USERNAME_TAKEN in response.content.decode()

        outcomes = self.race(sign_up, get_ready=lambda n: Client())

        self.assertEqual(sorted(outcomes), [(200, True)] * (RACERS - 1) + [(302, False)])
        self.assertEqual(User.objects.filter(email__startswith="newcomer").count(), 1)

    def test_the_admin_adds_one_and_shows_every_other_superuser_the_email_is_taken(self):
        root = make_user(SUPERUSER)

        def logged_in(n):
            client = Client()
            client.force_login(root)
            return client

        def add(n, client):
            fields = {"username": f"added{n}", "email": one_email(n), "usable_password": "true"}
            response = client.post(
                "/admin/accounts/user/add/", {**fields, "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
            )
            return response.status_code, EMAIL_TAKEN in response.content.decode()

        outcomes = self.race(add, get_ready=logged_in)

        self.assertEqual(sorted(outcomes), [(200, True)] * (RACERS - 1) + [(302, False)])
        self.assertEqual(User.objects.filter(username__startswith="added").count(), 1)
