from django.contrib import messages
from django.core import mail
from rest_framework.authtoken.models import Token

from apps.accounts.models import User
from project.testing import AWAITING_APPROVAL, KNOWN_PASSWORD, fill, given
from project.testing_web import WebTestCase

PASSWORD = "Juniper-Caravan-Meadow-27"


class TestANewMemberFromSignUpToLogOut(WebTestCase):
    def test_signs_up_logs_out_logs_back_in_and_replaces_their_api_token(self):
        # Sign up from the landing page.
        signup = self.get("/").click(linkid="home-signup")
        typed = {
            "username": "margaret",
            "email": "margaret@school.example",
            "first_name": "Margaret",
            "last_name": "Hamilton",
            "password1": PASSWORD,
            "password2": PASSWORD,
        }
        response = fill(signup.forms["signup-form"], typed).submit()
        self.assertRedirectsTo(response, "home")
        waiting = response.follow()
        self.assertMessage(waiting, "Welcome to Student Records, margaret!", level=messages.SUCCESS)
        self.assertContains(waiting, AWAITING_APPROVAL)
        margaret = User.objects.get(username="margaret")
        self.assertEqual(margaret.role, "none")
        self.assertLoggedInAs(margaret)

        # Log out with the button in the navigation bar.
        response = waiting.forms["logout-form"].submit()
        self.assertRedirectsTo(response, "home")
        self.assertMessage(response.follow(), "You have been logged out.", level=messages.INFO)
        self.assertLoggedInAs(None)

        # Log back in through the navigation bar link.
        login = self.get("/").click(linkid="nav-login")
        form = login.forms["login-form"]
        form["username"] = "margaret@school.example"
        form["password"] = PASSWORD
        response = form.submit()
        self.assertRedirectsTo(response, "home")
        self.assertLoggedInAs(margaret)

        # Look at the profile and replace the API token.
        profile = response.follow().click(linkid="nav-profile")
        self.assertEqual(profile.html.select_one("#profile-username").get_text(), "margaret")
        self.assertEqual(profile.html.select_one("#profile-email").get_text(), "margaret@school.example")
        self.assertEqual(profile.html.select_one("#profile-role").get_text(), "Pending approval")
        self.assertIsNone(profile.html.select_one("#api-token"))
        profile = profile.forms["regenerate-token-form"].submit().follow()
        self.assertMessage(
            profile, "Your API token was created. Send it in an Authorization: Token header.", level=messages.SUCCESS
        )
        old_key = profile.html.select_one("#api-token").get_text()
        self.assertEqual(Token.objects.get(user=margaret).key, old_key)
        response = profile.click(linkid="regenerate-token").forms["regenerate-token-form"].submit()
        self.assertRedirectsTo(response, "accounts:profile")
        profile = response.follow()
        self.assertMessage(profile, "Your API token was regenerated. The old one no longer works.")
        new_key = profile.html.select_one("#api-token").get_text()
        self.assertNotEqual(new_key, old_key)
        self.assertEqual(Token.objects.get(user=margaret).key, new_key)
        self.assertFalse(Token.objects.filter(key=old_key).exists())

        # And log out again.
        response = profile.forms["logout-form"].submit()
        self.assertRedirectsTo(response, "home")
        self.assertLoggedInAs(None)
        self.assertRedirectsToLogin(self.get("/accounts/profile/"), "/accounts/profile/")


class TestANewcomerApprovedByTheOffice(WebTestCase):
    administrator = given("accounts.administrator", username="office")
    student = given("students.student", first_name="Ada", last_name="Lovelace")

    def test_signs_up_waits_is_made_a_viewer_on_the_people_page_and_sees_the_students(self):
        # Signs up and hears the office will approve the account; no student is shown.
        form = self.get("/").click(linkid="home-signup").forms["signup-form"]
        form["username"], form["email"] = "ines", "ines@school.example"
        form["first_name"], form["last_name"] = "Inés", "Ferrer"
        form["password1"] = form["password2"] = PASSWORD
        waiting = form.submit().follow()
        self.assertContains(waiting, AWAITING_APPROVAL)
        self.assertContains(self.get("/students/", status=403), AWAITING_APPROVAL, status_code=403)
        waiting.forms["logout-form"].submit()
        ines = User.objects.get(username="ines")

        # An administrator finds the account at the top of the People page and makes it a viewer.
        self.assertRedirectsTo(self.log_in("office", KNOWN_PASSWORD), "students:list")
        people = self.get("/students/", user=None).click(linkid="nav-people")
        first_row = people.html.select_one("#people tbody tr")
        self.assertEqual(first_row["id"], f"person-{ines.pk}")
        self.assertEqual(first_row.select_one(".role").get_text(), "Pending approval")
        self.assertEqual(first_row.select_one(".name").get_text(), "Inés Ferrer")
        self.assertEqual(people.html.select_one("#waiting-count").get_text(strip=True), "1 waiting for approval")
        form = people.forms[f"role-form-{ines.pk}"]
        form["role"] = "viewer"
        people = form.submit().follow()
        self.assertMessage(people, "Role of ines set to Viewer.", level=messages.SUCCESS)
        people.forms["logout-form"].submit()

        # The newcomer reads the email and follows its link to log in; lands on the student list.
        [email] = mail.outbox
        self.assertEqual(
            (email.to, email.subject), (["ines@school.example"], "Your Student Records account was approved as Viewer")
        )
        link = next(line for line in email.body.splitlines() if line.startswith("http://"))
        form = self.app.get(link).forms["login-form"]
        form["username"], form["password"] = "ines", PASSWORD
        response = form.submit()
        self.assertRedirectsTo(response, "students:list")
        students = response.follow()
        self.assertContains(students, "Lovelace")
        self.assertIsNotNone(students.html.select_one("#nav-students"))
        self.assertEqual(ines.role, "viewer")
