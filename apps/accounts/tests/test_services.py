"""Each accounts service on its own: what it writes, what it refuses, what it logs."""

from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import RequestFactory, TestCase, TransactionTestCase
from rest_framework.authtoken.models import Token

from apps.accounts import services
from apps.accounts.models import PasswordResetRequest, User
from project.testing import SUPERUSER, VIEWER, RecordsTestCase, given, make_user, token_for

PASSWORD = "Harbour-Lantern-Violet-31"
LOGIN_URL = "https://records.school.example/accounts/login/"


class TestUserSignUp(TestCase):
    def test_creates_an_account_without_a_role_and_logs_it(self):
        with self.assertLogs("apps.accounts", "INFO") as logs:
            user = services.user_sign_up(
                username="grace",
                email="grace@school.example",
                first_name="Grace",
                last_name="Hopper",
                password=PASSWORD,
            )

        user.refresh_from_db()
        self.assertEqual((user.username, user.email, user.role), ("grace", "grace@school.example", "none"))
        self.assertEqual(user.get_full_name(), "Grace Hopper")
        self.assertTrue(user.check_password(PASSWORD))
        self.assertEqual(logs.output, [f"INFO:apps.accounts:sign-up user_id={user.pk} username=grace"])
        self.assertNotIn(PASSWORD, logs.output[0])

    def test_refuses_a_weak_password_a_taken_name_or_email_or_a_missing_name_and_saves_nothing(self):
        make_user(VIEWER, username="groß", email="taken@lycée.example")
        good = {"email": "new@school.example", "first_name": "Nell", "last_name": "Newcomer", "password": PASSWORD}
        for changes, message in (
            ({"password": "12345678"}, "This password is too common."),
            ({"password": "newcomer1"}, "The password is too similar to the username."),
            ({"email": "TAKEN@LYCÉE.example"}, "A user with that email address already exists."),
            ({"email": "taken@lyce\u0301e.example"}, "A user with that email address already exists."),
            ({"first_name": " "}, "Enter your first name."),
            ({"last_name": ""}, "Enter your last name."),
        ):
            with self.subTest(message):
                with self.assertRaises(ValidationError) as raised:
                    services.user_sign_up(**{"username": "newcomer", **good, **changes})
                self.assertIn(message, raised.exception.messages)
        self.assertEqual(User.objects.count(), 1)

    def test_refuses_a_username_taken_in_other_capitals_beside_the_username(self):
        # The sign-up form says so first; the service says it too, for a sign-up made meanwhile.
        make_user(VIEWER, username="groß")
        with self.assertRaises(ValidationError) as raised:
            services.user_sign_up(
                username="GROSS", email="new@school.example", first_name="N", last_name="N", password=PASSWORD
            )
        self.assertEqual(raised.exception.message_dict, {"username": ["A user with that username already exists."]})
        self.assertEqual(User.objects.count(), 1)


class TestRoleSet(RecordsTestCase):
    admin = given("accounts.administrator")
    person = given("accounts.pending")

    def test_gives_exactly_one_role_and_keeps_other_groups(self):
        other = Group.objects.create(name="Choir")
        self.person.groups.add(other)
        for role in ("viewer", "registrar", "administrator", "none"):
            with self.subTest(role=role):
                services.role_set(user=self.person, role=role, actor=self.admin, login_url=LOGIN_URL)

                self.assertEqual(User.objects.get(pk=self.person.pk).role, role)
                self.assertIn(other, self.person.groups.all())

    def test_logs_the_acting_administrator_and_the_email(self):
        with self.assertLogs("apps.accounts", "INFO") as logs:
            services.role_set(user=self.person, role="viewer", actor=self.admin, login_url=LOGIN_URL)

        self.assertEqual(
            logs.output,
            [
                f"INFO:apps.accounts:role set user_id={self.person.pk} role=viewer by user_id={self.admin.pk}",
                f"INFO:apps.accounts:role email sent user_id={self.person.pk} role=viewer",
            ],
        )

    def test_emails_the_account_its_first_role_then_each_new_one_with_the_login_link(self):
        emailed = [
            services.role_set(user=self.person, role=role, actor=self.admin, login_url=LOGIN_URL)
            for role in ("viewer", "viewer", "administrator", "none", "registrar")
        ]

        self.assertEqual(emailed, [True, None, True, None, True])
        self.assertEqual(
            [email.subject for email in mail.outbox],
            [
                "Your Student Records account was approved as Viewer",
                "Your Student Records role is now Administrator",
                "Your Student Records account was approved as Registrar",
            ],
        )
        self.assertTrue(all(email.to == [self.person.email] for email in mail.outbox))
        self.assertTrue(all(LOGIN_URL in email.body for email in mail.outbox))
        self.assertIn("As Administrator you can do everything a registrar does", mail.outbox[1].body)

    def test_none_revokes_the_api_token(self):
        token_for(self.person)

        with self.assertLogs("apps.accounts", "INFO") as logs:
            services.role_set(user=self.person, role="none", actor=self.admin, login_url=LOGIN_URL)

        self.assertFalse(Token.objects.filter(user=self.person).exists())
        person, admin = self.person.pk, self.admin.pk
        self.assertEqual(
            logs.output,
            [
                f"INFO:apps.accounts:api token revoked user_id={person} reason=role removed tokens=1",
                f"INFO:apps.accounts:role set user_id={person} role=none by user_id={admin}",
            ],
        )

    def test_refuses_and_changes_nothing(self):
        superuser = make_user(SUPERUSER)
        cases = [
            (self.person, "owner", "Choose one of these roles: none, viewer, registrar, administrator."),
            (self.admin, "viewer", "You cannot take away your own administrator role."),
            (superuser, "none", f"{superuser} is a superuser: change that in the Django admin."),
        ]
        for user, role, message in cases:
            with self.subTest(role=role), self.assertRaisesMessage(services.RoleChangeRefused, message):
                services.role_set(user=user, role=role, actor=self.admin, login_url=LOGIN_URL)
        self.assertEqual(
            [User.objects.get(pk=user.pk).role for user, _, _ in cases], ["none", "administrator", "administrator"]
        )


class TestAccountsInTheAdmin(RecordsTestCase):
    superuser = given("accounts.superuser")

    def save(self, user, *changed_fields):
        return services.account_saved_in_admin(
            user=user, actor=self.superuser, changed_fields=list(changed_fields), login_url=LOGIN_URL
        )

    def test_an_added_account_is_saved_and_logged_with_who_added_it(self):
        with self.assertLogs("apps.accounts", "INFO") as logs:
            added = services.account_saved_in_admin(
                user=User(username="grace", email="grace@school.example"),
                actor=self.superuser,
                changed_fields=None,
                login_url=LOGIN_URL,
            )

        grace = User.objects.get(username="grace")
        self.assertEqual((added, grace.role, grace.is_staff), (None, "none", False))
        self.assertEqual(
            logs.output,
            [f"INFO:apps.accounts:account added in the admin user_id={grace.pk} by user_id={self.superuser.pk}"],
        )
        self.assertEqual(mail.outbox, [])

    def test_superuser_status_is_the_administrator_role_given_like_every_role(self):
        person = make_user(VIEWER)
        token_for(person)
        person.is_superuser = True

        with self.assertLogs("apps.accounts", "INFO") as logs:
            emailed = self.save(person, "is_superuser")

        person = User.objects.get(pk=person.pk)
        self.assertEqual(
            (emailed, person.role, person.is_superuser, person.is_staff), (True, "administrator", True, True)
        )
        self.assertTrue(Token.objects.filter(user=person).exists())
        self.assertEqual([email.subject for email in mail.outbox], ["Your Student Records role is now Administrator"])
        self.assertIn(LOGIN_URL, mail.outbox[0].body)
        self.assertEqual(
            logs.output,
            [
                f"INFO:apps.accounts:account changed in the admin user_id={person.pk} by user_id={self.superuser.pk} "
                "fields=is_superuser",
                f"INFO:apps.accounts:role set user_id={person.pk} role=administrator by user_id={self.superuser.pk}",
                f"INFO:apps.accounts:role email sent user_id={person.pk} role=administrator",
            ],
        )

    def test_taking_superuser_status_leaves_the_role_the_groups_give_or_none_and_ends_the_token(self):
        for groups, role, token_left in ((["Registrars"], "registrar", True), ([], "none", False)):
            with self.subTest(role=role):
                person = make_user(SUPERUSER)
                person.groups.set(Group.objects.filter(name__in=groups))
                token_for(person)
                person.is_superuser = False

                with self.assertLogs("apps.accounts", "INFO") as logs:
                    emailed = self.save(person, "is_superuser")

                person = User.objects.get(pk=person.pk)
                self.assertEqual((person.role, person.is_superuser, person.is_staff), (role, False, False))
                self.assertEqual(Token.objects.filter(user=person).exists(), token_left)
                self.assertEqual(emailed, True if token_left else None)
                actor = self.superuser.pk
                self.assertIn(
                    f"INFO:apps.accounts:role set user_id={person.pk} role={role} by user_id={actor}", logs.output
                )

    def test_other_changes_keep_the_role_and_send_no_email(self):
        person = make_user(VIEWER)
        person.first_name, person.last_name = "Grace", "Hopper"

        with self.assertLogs("apps.accounts", "INFO") as logs:
            emailed = self.save(person, "first_name", "last_name")

        self.assertEqual(emailed, None)
        self.assertEqual(User.objects.values_list("first_name", "last_name").get(pk=person.pk), ("Grace", "Hopper"))
        self.assertEqual(
            logs.output,
            [
                f"INFO:apps.accounts:account changed in the admin user_id={person.pk} by user_id={self.superuser.pk} "
                "fields=first_name,last_name"
            ],
        )
        self.assertEqual(mail.outbox, [])

    def test_a_deleted_account_is_logged_with_who_deleted_it(self):
        person = make_user(VIEWER)
        token_for(person)
        person_id = person.pk

        with self.assertLogs("apps.accounts", "INFO") as logs:
            services.account_deleted_in_admin(user=person, actor=self.superuser)

        self.assertFalse(User.objects.filter(pk=person_id).exists())
        self.assertFalse(Token.objects.filter(user_id=person_id).exists())
        self.assertEqual(
            logs.output,
            [f"INFO:apps.accounts:account deleted in the admin user_id={person_id} by user_id={self.superuser.pk}"],
        )


class TestTokens(RecordsTestCase):
    user = given("accounts.viewer")

    def log_in_for_a_token(self):
        return services.token_login(user=self.user, request=RequestFactory().post("/api/token/"))

    def test_login_makes_the_token_the_first_time_and_logs_that_once(self):
        with self.assertLogs("apps.accounts", "INFO") as logs:
            first, second = self.log_in_for_a_token(), self.log_in_for_a_token()

        self.assertEqual(first, second)
        self.assertEqual(list(Token.objects.filter(user=self.user)), [first])
        created = [line for line in logs.output if "api token" in line]
        self.assertEqual(created, [f"INFO:apps.accounts:api token created user_id={self.user.pk}"])
        self.assertNotIn(first.key, "\n".join(logs.output))

    def test_login_for_a_token_is_a_login(self):
        """Like any login: the account's last login is now (and the audit log says so)."""
        with self.assertLogs("apps.accounts", "INFO") as logs:
            self.log_in_for_a_token()

        self.user.refresh_from_db()
        self.assertIsNotNone(self.user.last_login)
        self.assertTrue([line for line in logs.output if "login succeeded" in line], logs.output)

    def test_regenerate_replaces_the_key_and_never_logs_it(self):
        old_key = token_for(self.user)

        with self.assertLogs("apps.accounts", "INFO") as logs:
            token, replaced = services.token_regenerate(user=self.user)

        self.assertTrue(replaced)
        self.assertNotEqual(token.key, old_key)
        self.assertEqual(list(Token.objects.filter(user=self.user)), [token])
        self.assertEqual(logs.output, [f"INFO:apps.accounts:api token regenerated user_id={self.user.pk}"])

    def test_regenerate_without_a_token_creates_the_first_one(self):
        with self.assertLogs("apps.accounts", "INFO") as logs:
            token, replaced = services.token_regenerate(user=self.user)

        self.assertFalse(replaced)
        self.assertEqual(list(Token.objects.filter(user=self.user)), [token])
        self.assertEqual(logs.output, [f"INFO:apps.accounts:api token created user_id={self.user.pk}"])

    def test_revoke_deletes_the_key_and_says_why(self):
        token_for(self.user)

        with self.assertLogs("apps.accounts", "INFO") as logs:
            services.token_revoke(user=self.user, reason="password reset")

        self.assertFalse(Token.objects.filter(user=self.user).exists())
        line = f"INFO:apps.accounts:api token revoked user_id={self.user.pk} reason=password reset tokens=1"
        self.assertEqual(logs.output, [line])

    def test_password_set_gives_the_new_password_ends_the_token_and_logs_how_it_was_set(self):
        token_for(self.user)
        for event, logged, reason in [
            ("change", "password changed", "password changed"),
            ("reset", "password reset completed", "password reset"),
            ("admin", "password set in the admin", "password set in the admin"),
        ]:
            with self.subTest(event=event), self.assertLogs("apps.accounts", "INFO") as logs:
                token_for(self.user)
                services.password_set(user=self.user, password=f"Quiet-Harbour-{event}-7", event=event)

                self.user.refresh_from_db()
                self.assertTrue(self.user.check_password(f"Quiet-Harbour-{event}-7"))
                self.assertFalse(Token.objects.filter(user=self.user).exists())
                self.assertEqual(
                    logs.output,
                    [
                        f"INFO:apps.accounts:{logged} user_id={self.user.pk}",
                        f"INFO:apps.accounts:api token revoked user_id={self.user.pk} reason={reason} tokens=1",
                    ],
                )

    def test_password_set_without_a_password_leaves_none_that_logs_in(self):
        services.password_set(user=self.user, password=None, event="admin")
        self.user.refresh_from_db()
        self.assertFalse(self.user.has_usable_password())

    def test_password_set_changes_the_password_alone_leaving_what_others_saved_meanwhile(self):
        User.objects.filter(pk=self.user.pk).update(first_name="Augusta")  # an administrator's edit, after loading
        services.password_set(user=self.user, password="Quiet-Harbour-alone-7", event="change")
        saved = User.objects.get(pk=self.user.pk)
        self.assertEqual(saved.first_name, "Augusta")
        self.assertTrue(saved.check_password("Quiet-Harbour-alone-7"))


class TestPasswordResetRequested(TestCase):
    def request(self, email="katherine@school.example"):
        return services.password_reset_requested(email=email, matching_accounts=1)

    def test_lets_three_mails_an_hour_go_to_one_address_and_keeps_only_a_digest_of_it(self):
        self.assertEqual([self.request() for _ in range(4)], [True, True, True, False])
        self.assertTrue(self.request("dorothy@school.example"))

        digests = list(PasswordResetRequest.objects.values_list("address_digest", flat=True))
        self.assertEqual(len(digests), 4)
        self.assertFalse([digest for digest in digests if "@" in digest or "school" in digest])

    def test_logs_a_withheld_mail_without_the_address_in_full(self):
        # The whole name is masked, even a quoted one holding an "@" (a domain never does).
        for address, shown in [
            ("katherine@school.example", "k***@school.example"),
            ('"kat@home"@school.example', '"***@school.example'),
        ]:
            with self.subTest(address=address):
                for _ in range(3):
                    self.request(address)

                with self.assertLogs("apps.accounts", "WARNING") as logs:
                    self.request(address)

                withheld = f"WARNING:apps.accounts:password reset mail withheld: 3 this hour to address={shown}"
                self.assertEqual(logs.output, [withheld])


class TestPasswordResetRequestedOutsideAnyTransaction(TransactionTestCase):
    """Requests run in autocommit: the service holds the transaction its row lock needs
    (PostgreSQL refuses SELECT ... FOR UPDATE outside one)."""

    def test_counts_the_request(self):
        self.assertTrue(services.password_reset_requested(email="katherine@school.example", matching_accounts=1))
        self.assertEqual(PasswordResetRequest.objects.count(), 1)
