"""An account waiting for approval: what it can do before the office gives it a role."""

from project.testing import AWAITING_APPROVAL, KNOWN_PASSWORD, PENDING, given
from project.testing_web import ApiTestCase

NEW_PASSWORD = "Saffron-Orchard-Lantern-53"


class TestAPendingAccount(ApiTestCase):
    role = PENDING
    roleless = given("accounts.roleless")
    student = given("students.student", last_name="Okafor")

    def accounts(self):
        """The account sign-up made, and one made in the admin without a group: treated alike."""
        return {"signed up": self.user, "made in the admin": self.roleless}

    def test_logs_in_and_lands_on_the_page_saying_the_office_will_approve_it(self):
        for label, account in self.accounts().items():
            with self.subTest(label):
                self.app.reset()

                response = self.log_in(account.username, KNOWN_PASSWORD)

                self.assertRedirectsTo(response, "home")
                page = response.follow()
                self.assertEqual(page.status_code, 200)
                self.assertContains(page, AWAITING_APPROVAL)
                self.assertContains(page, account.username)
                self.assertNotContains(page, 'id="nav-students"')
                self.assertLoggedInAs(account)

    def test_is_told_an_email_will_say_when_it_is_approved_and_whom_to_ask(self):
        page = self.get("/")

        self.assertIn(self.user.email, page.html.select_one("#approval-email").get_text())
        self.assertIn("with a link to log in", page.html.select_one("#approval-email").get_text())
        self.assertIn("Ask the school office", page.html.select_one("#approval-whom-to-ask").get_text())
        self.assertValidHtml(page)

    def test_sees_its_profile_with_the_role_pending_approval(self):
        for label, account in self.accounts().items():
            with self.subTest(label):
                page = self.get("/", user=account)

                profile = page.click(linkid="approval-profile")

                self.assertEqual(profile.html.select_one("#profile-username").get_text(), account.username)
                self.assertEqual(profile.html.select_one("#profile-role").get_text(), "Pending approval")

    def test_can_change_its_password(self):
        form = self.get("/").click(linkid="approval-change-password").forms["password-change-form"]
        form["old_password"] = KNOWN_PASSWORD
        form["new_password1"] = form["new_password2"] = NEW_PASSWORD

        response = form.submit()

        self.assertRedirectsTo(response, "accounts:profile")
        self.user.refresh_from_db()
        self.assertTrue(self.user.check_password(NEW_PASSWORD))

    def test_sees_no_student_data_and_is_told_why(self):
        for label, account in self.accounts().items():
            with self.subTest(label):
                page = self.get(f"/students/{self.student.pk}/", user=account, status=403)

                self.assertNoAccess(page)
                self.assertNotContains(page, "Okafor", status_code=403)
                self.assertIn(account.username, page.html.select_one("main strong").get_text())
                self.assertIsNotNone(page.html.select_one("#logout-form"))
