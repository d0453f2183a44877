from django.contrib.auth import authenticate
from django.contrib.auth.models import Permission
from model_bakery import baker

from apps.accounts.backends import UsernameOrEmailBackend
from project.testing import KNOWN_PASSWORD, RecordsTestCase, given


class TestLoggingInWithUsernameOrEmail(RecordsTestCase):
    ada = given("accounts.viewer", username="Ada", email="ada@school.example")
    former = given("accounts.inactive_user", username="former", email="former@school.example")

    def setUp(self):
        self.backend = UsernameOrEmailBackend()

    def test_finds_the_user_by_username_or_email_in_any_case(self):
        for typed in ("Ada", "ada", "ADA", "ada@school.example", "Ada@School.Example"):
            with self.subTest(typed=typed):
                self.assertEqual(self.backend.authenticate(None, username=typed, password=KNOWN_PASSWORD), self.ada)

    def test_finds_a_name_with_letters_beyond_a_to_z_in_any_case(self):
        zoe = baker.make_recipe("accounts.viewer", username="Zoë_Groß", email="zoe@lycée.example")

        typed_names = (
            "zoë_groß",
            "ZOË_GROSS",  # the capitals of ß are SS
            "zoe\u0308_groß",  # ë typed as e and a mark of its own
            "zoe@LYCÉE.example",
            "ZOE@Lycée.Example",
            "zoe@lyce\u0301e.example",
        )
        for typed in typed_names:
            with self.subTest(typed=typed):
                self.assertEqual(self.backend.authenticate(None, username=typed, password=KNOWN_PASSWORD), zoe)
        for typed in ("zoe_groß", "zoë-groß", "zoë%"):  # ë is not e, and "_" and "%" are themselves
            with self.subTest(typed=typed):
                self.assertIsNone(self.backend.authenticate(None, username=typed, password=KNOWN_PASSWORD))

    def test_finds_the_user_by_an_email_as_long_as_an_email_may_be(self):
        email = f"{'a' * 64}@{'b' * 63}.{'c' * 63}.{'d' * 53}.example"  # 254 characters, the longest
        longest = baker.make_recipe("accounts.viewer", email=email)

        self.assertEqual(len(email), 254)
        self.assertEqual(self.backend.authenticate(None, username=email.upper(), password=KNOWN_PASSWORD), longest)

    def test_refuses_a_wrong_password(self):
        self.assertIsNone(self.backend.authenticate(None, username="ada", password="wrong"))

    def test_refuses_an_inactive_user_even_with_the_right_password(self):
        self.assertIsNone(self.backend.authenticate(None, username="former", password=KNOWN_PASSWORD))

    def test_refuses_a_missing_username_or_password_without_a_query(self):
        for username, password in ((None, KNOWN_PASSWORD), ("ada", None), (None, None)):
            with self.subTest(username=username, password=password), self.assertNumQueries(0):
                self.assertIsNone(self.backend.authenticate(None, username=username, password=password))

    def test_refuses_a_name_nobody_has(self):
        for typed in ("nobody", "nobody@school.example", "Ad", "ada@school"):
            with self.subTest(typed=typed):
                self.assertIsNone(self.backend.authenticate(None, username=typed, password=KNOWN_PASSWORD))

    def test_prefers_the_username_when_it_is_also_another_users_email(self):
        owner = baker.make_recipe("accounts.viewer", username="grace@school.example", email="grace.h@school.example")
        other = baker.make_recipe("accounts.viewer", username="gracie", email="grace@school.example")

        self.assertEqual(
            self.backend.authenticate(None, username="GRACE@school.example", password=KNOWN_PASSWORD), owner
        )
        self.assertEqual(self.backend.authenticate(None, username="gracie", password=KNOWN_PASSWORD), other)

    def test_is_the_backend_django_uses(self):
        self.assertEqual(authenticate(None, username="ada@school.example", password=KNOWN_PASSWORD), self.ada)


class TestThePermissionsOfAnAccount(RecordsTestCase):
    registrar = given("accounts.registrar")
    root = given("accounts.superuser")
    former = given("accounts.inactive_user", groups=[])

    def setUp(self):
        self.backend = UsernameOrEmailBackend()

    def test_are_those_of_its_role_and_its_own_read_in_one_query(self):
        self.registrar.user_permissions.add(Permission.objects.get(codename="view_user"))
        records = [
            f"students.{action}_{model}"
            for model in ("student", "course", "enrollment")
            for action in ("view", "add", "change", "delete")
        ]

        with self.assertNumQueries(1):
            self.assertEqual(self.backend.get_all_permissions(self.registrar), {*records, "accounts.view_user"})
        with self.assertNumQueries(0):  # the same request asks again
            self.assertTrue(self.registrar.has_perm("students.delete_course"))

    def test_are_every_one_for_a_superuser(self):
        self.assertEqual(len(self.backend.get_all_permissions(self.root)), Permission.objects.count())

    def test_are_none_for_an_account_switched_off_or_for_one_record(self):
        self.former.groups.set(self.registrar.groups.all())
        self.assertEqual(self.backend.get_all_permissions(self.former), set())
        self.assertEqual(self.backend.get_all_permissions(self.registrar, obj=self.root), set())


class TestUsernamesDifferingOnlyInCase(RecordsTestCase):
    """Sign-up forbids them, but `createsuperuser` can make any number."""

    lower = given("accounts.pending", username="sam", email="sam.one@school.example")
    upper = given("accounts.pending", username="Sam", email="sam.two@school.example")

    def test_each_logs_in_with_their_exact_username(self):
        backend = UsernameOrEmailBackend()
        self.assertEqual(backend.authenticate(None, username="sam", password=KNOWN_PASSWORD), self.lower)
        self.assertEqual(backend.authenticate(None, username="Sam", password=KNOWN_PASSWORD), self.upper)

    def test_each_logs_in_with_their_exact_username_among_four_spellings(self):
        more = [baker.make_recipe("accounts.pending", username=name) for name in ("SAM", "sAm")]
        backend = UsernameOrEmailBackend()

        for user in (self.lower, self.upper, *more):
            with self.subTest(username=user.username):
                self.assertEqual(backend.authenticate(None, username=user.username, password=KNOWN_PASSWORD), user)

    def test_a_third_spelling_is_ambiguous_and_finds_nobody(self):
        backend = UsernameOrEmailBackend()
        self.assertIsNone(backend.authenticate(None, username="SAM", password=KNOWN_PASSWORD))
