from rest_framework.authtoken.models import Token

from apps.accounts.models import User
from project.testing import SUPERUSER, VIEWER, make_user, token_for
from project.testing_web import WebTestCase

CHOSEN_PASSWORD = "Admin-Chosen-Pass-1"


class TestAnAdministratorAddingAUser(WebTestCase):
    role = SUPERUSER

    def add_user(self, username, email):
        form = self.get("/admin/accounts/user/add/").forms["user_form"]
        form["username"] = username
        form["email"] = email
        form["password1"] = CHOSEN_PASSWORD
        form["password2"] = CHOSEN_PASSWORD
        return form.submit()

    def test_gives_each_new_user_their_own_email_address(self):
        for username, email in (("dorothy", "dorothy@school.example"), ("alan", "alan@school.example")):
            with self.subTest(username=username):
                response = self.add_user(username, email)

                added = User.objects.get(username=username)
                self.assertRedirectsTo(response, "admin:accounts_user_change", added.pk)
                self.assertEqual(added.email, email)
                self.assertTrue(added.check_password(CHOSEN_PASSWORD))

    def test_must_give_an_email_address(self):
        users_before = User.objects.count()

        response = self.add_user("dorothy", "")

        self.assertEqual(response.status_code, 200)
        self.assertIn("This field is required.", response.html.select_one("#id_email_error").get_text())
        self.assertEqual(User.objects.count(), users_before)

    def test_cannot_reuse_an_email_address_in_another_letter_case(self):
        self.add_user("dorothy", "dorothy@school.example")

        response = self.add_user("dot", "Dorothy@School.EXAMPLE")

        self.assertEqual(response.status_code, 200)
        errors = response.html.select_one(".errorlist.nonfield").get_text()
        self.assertIn("A user with that email address already exists.", errors)
        self.assertFalse(User.objects.filter(username="dot").exists())


class TestAnAdministratorSettingAPasswordInTheAdmin(WebTestCase):
    role = SUPERUSER

    def setUp(self):
        super().setUp()
        self.member = make_user(VIEWER)
        self.old_key = token_for(self.member)

    def test_ends_the_accounts_api_token_like_every_other_password_change(self):
        form = self.get(f"/admin/accounts/user/{self.member.pk}/password/").forms["user_form"]
        form["password1"] = CHOSEN_PASSWORD
        form["password2"] = CHOSEN_PASSWORD

        response = form.submit()

        self.assertRedirectsTo(response, "admin:accounts_user_change", self.member.pk)
        self.member.refresh_from_db()
        self.assertTrue(self.member.check_password(CHOSEN_PASSWORD))
        self.assertFalse(Token.objects.filter(user=self.member).exists())
        self.assertEqual(
            self.app.get("/api/students/", headers=self.api_headers(self.old_key), expect_errors=True).status_code, 401
        )

    def test_can_switch_off_password_login_for_an_account_which_ends_its_api_token_too(self):
        form = self.get(f"/admin/accounts/user/{self.member.pk}/password/").forms["user_form"]
        form["usable_password"] = "false"

        response = form.submit("unset-password")

        self.assertRedirectsTo(response, "admin:accounts_user_change", self.member.pk)
        shown = [message.get_text() for message in response.follow().html.select(".messagelist li")]
        self.assertEqual(shown, ["Password-based authentication was disabled."])
        self.member.refresh_from_db()
        self.assertFalse(self.member.has_usable_password())
        self.assertFalse(self.member.check_password(""))
        self.assertFalse(Token.objects.filter(user=self.member).exists())

    def test_sees_the_role_groups_but_leaves_them_to_the_people_page_and_gives_no_permission_alone(self):
        page = self.get(f"/admin/accounts/user/{self.member.pk}/change/")
        # Shown, not for changing: the role, the permissions (they come with a role only, never picked
        # one by one) and when the account joined and last logged in.
        fields = page.forms["user_form"].fields
        self.assertEqual({"groups", "user_permissions", "date_joined_0", "last_login_0"} & set(fields), set())
        self.assertContains(page, "Viewers")
        page.forms["user_form"].submit()
        self.assertEqual(list(self.member.groups.values_list("name", flat=True)), ["Viewers"])
        self.assertFalse(self.member.user_permissions.exists())
