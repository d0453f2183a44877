from django.core import mail
from rest_framework.authtoken.models import Token

from apps.accounts.models import User
from project.testing import KNOWN_PASSWORD, PENDING, SUPERUSER, VIEWER, fill, make_user, token_for
from project.testing_web import WebTestCase, database_state

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


class TestSuperuserStatusInTheAdmin(WebTestCase):
    """Superuser status is the administrator role and the key to the admin: given and taken like a role."""

    role = SUPERUSER

    def set_superuser_status(self, person, ticked):
        form = self.get(f"/admin/accounts/user/{person.pk}/change/").forms["user_form"]
        form["is_superuser"] = ticked
        return form.submit()

    def test_given_lets_the_account_into_the_admin_and_emails_it_the_role(self):
        person = make_user(PENDING)

        response = self.set_superuser_status(person, True)

        self.assertRedirectsTo(response, "admin:accounts_user_changelist")
        person.refresh_from_db()
        self.assertEqual((person.role, person.is_superuser), ("administrator", True))
        self.assertEqual(self.get("/admin/", user=person).status_code, 200)
        self.assertEqual(
            [(email.subject, email.to) for email in mail.outbox],
            [("Your Student Records account was approved as Administrator", [person.email])],
        )
        self.assertIn("http://testserver/accounts/login/", mail.outbox[0].body)

    def test_taken_shuts_the_admin_and_ends_the_api_token_of_an_account_left_without_a_role(self):
        person = make_user(SUPERUSER)
        old_key = token_for(person)

        response = self.set_superuser_status(person, False)

        self.assertRedirectsTo(response, "admin:accounts_user_changelist")
        person.refresh_from_db()
        self.assertEqual((person.role, person.is_superuser), ("none", False))
        self.assertRedirectsTo(self.get("/admin/", user=person), "admin:login")
        self.assertEqual(
            self.app.get("/api/students/", headers=self.api_headers(old_key), expect_errors=True).status_code, 401
        )

    def test_cannot_be_taken_from_oneself(self):
        page = self.get(f"/admin/accounts/user/{self.user.pk}/change/")
        self.assertNotIn("is_superuser", page.forms["user_form"].fields)  # shown, not a box to untick

        # A box left out of a post is an unticked box: the post keeps the status all the same.
        self.assertRedirectsTo(page.forms["user_form"].submit(), "admin:accounts_user_changelist")

        self.user.refresh_from_db()
        self.assertTrue(self.user.is_superuser)
        self.assertEqual(self.get("/admin/").status_code, 200)


class TestASuperuserInTheAdmin(WebTestCase):
    role = SUPERUSER

    def test_changes_their_own_password_on_the_sites_form_which_ends_their_api_token(self):
        old_key = token_for(self.user)

        form_page = self.get("/admin/").click("Change password").follow()

        self.assertEqual(form_page.request.path, "/accounts/password/change/")
        form = fill(
            form_page.forms["password-change-form"],
            {"old_password": KNOWN_PASSWORD, "new_password1": CHOSEN_PASSWORD, "new_password2": CHOSEN_PASSWORD},
        )
        self.assertEqual(form.submit().status_code, 302)
        self.user.refresh_from_db()
        self.assertTrue(self.user.check_password(CHOSEN_PASSWORD))
        self.assertFalse(Token.objects.filter(user=self.user).exists())
        self.assertEqual(
            self.app.get("/api/students/", headers=self.api_headers(old_key), expect_errors=True).status_code, 401
        )

    def test_sees_no_api_token_and_cannot_redefine_a_role(self):
        token_for(make_user(VIEWER))
        home = self.get("/admin/")
        self.assertNotContains(home, "Tokens")
        self.assertNotContains(home, "Groups")
        for path in ("/admin/authtoken/tokenproxy/", "/admin/auth/group/", "/admin/auth/group/add/"):
            with self.subTest(path=path):
                self.assertEqual(self.get(path, expect_errors=True).status_code, 404)
        # Nor can a list of accounts be narrowed down by the first letters of a key.
        key = Token.objects.get().key
        response = self.get(
            "/admin/accounts/user/", params={"auth_token__key__startswith": key[0]}, expect_errors=True
        )
        self.assertEqual(response.status_code, 400)
        self.assertNotIn(key, response.text)

    def test_lists_the_superusers_or_the_others(self):
        other = make_user(VIEWER)
        for ticked, shown in (("1", self.user), ("0", other)):
            with self.subTest(superusers=ticked):
                page = self.get("/admin/accounts/user/", params={"is_superuser__exact": ticked})
                rows = [row.select_one("th").get_text() for row in page.html.select("#result_list tbody tr")]
                self.assertEqual(rows, [shown.username])

    def test_searches_every_list_with_at_most_as_many_words_as_the_site(self):
        make_user(VIEWER, first_name="Grace")
        lists = [link["href"] for link in self.get("/admin/").html.select("#content-main th a")]
        self.assertIn("/admin/axes/accessattempt/", lists)  # the installed apps' lists too
        before = database_state()
        for path in lists:
            with self.subTest(path=path):
                page = self.get(path, params={"q": " ".join(["grace"] * 10)})
                self.assertEqual(page.html.select(".messagelist .error"), [])

                page = self.get(path, params={"q": " ".join(["grace"] * 11)})

                self.assertEqual(page.status_code, 200)
                shown = [message.get_text() for message in page.html.select(".messagelist .error")]
                self.assertEqual(shown, ["Search for at most 10 words (this search has 11)."])
                self.assertEqual(page.html.select("#result_list tbody tr"), [])
        self.assertEqual(database_state(), before)

    def test_deletes_an_account_and_its_api_token(self):
        person = make_user(VIEWER)
        token_for(person)
        page = self.get(f"/admin/accounts/user/{person.pk}/delete/")

        with self.assertLogs("apps.accounts", "INFO") as logs:
            response = next(form for form in page.forms.values() if "post" in form.fields).submit()

        self.assertRedirectsTo(response, "admin:accounts_user_changelist")
        self.assertFalse(User.objects.filter(pk=person.pk).exists())
        self.assertFalse(Token.objects.filter(user_id=person.pk).exists())
        self.assertIn(f"account deleted in the admin user_id={person.pk} by user_id={self.user.pk}", logs.output[0])

    def test_deletes_the_chosen_accounts_each_logged(self):
        make_user(VIEWER, first_name="Grace")
        make_user(PENDING, first_name="Grace")
        form = self.get("/admin/accounts/user/", params={"q": "grace"}).forms["changelist-form"]
        form["action"] = "delete_selected"
        for checkbox in form.fields["_selected_action"]:  # the two Graces
            checkbox.checked = True
        confirm = form.submit()

        with self.assertLogs("apps.accounts", "INFO") as logs:
            response = next(form for form in confirm.forms.values() if "post" in form.fields).submit()

        self.assertRedirectsTo(response, "admin:accounts_user_changelist")
        self.assertEqual(list(User.objects.all()), [self.user])
        self.assertEqual(sum("account deleted in the admin" in line for line in logs.output), 2)
