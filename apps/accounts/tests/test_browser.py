"""Signing up, logging in and out in a real browser (headless Chromium), on a phone."""

from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.test import tag

from project.testing import KNOWN_PASSWORD, VIEWER, make_user
from project.testing_browser import BrowserTestCase

User = get_user_model()


def sessions_of(user):
    """The stored sessions in which `user` is logged in."""
    return [session for session in Session.objects.all() if session.get_decoded().get("_auth_user_id") == str(user.pk)]


@tag("browser")
class TestAVisitorInTheBrowser(BrowserTestCase):
    def setUp(self):
        super().setUp()
        self.use_phone_size()

    def test_signs_up_hears_the_office_will_approve_it_and_logs_out_with_the_navbar_button(self):
        self.open("accounts:signup")
        self.submit("signup-form")  # empty: every field asks for itself, the summary in focus

        self.wait_for_text("Username: Choose a username.", "#error-summary")
        self.assertEqual(self.driver.switch_to.active_element.get_attribute("id"), "error-summary")
        self.assertTrue(self.driver.title.startswith("Error: Sign up"))
        self.fill(
            "signup-form",
            username="grace",
            email="grace@school.example",
            first_name="Grace",
            last_name="Hopper",
            password1="a-long-unusual-passphrase",
            password2="a-long-unusual-passphrase",
        )
        self.submit("signup-form")

        self.assertPath("home")
        self.assertMessageShown("Welcome to Student Records, grace!")
        self.wait_for_text("Your account is waiting for approval by the office", "h1")
        self.wait_for_text("an email to grace@school.example", "#approval-email")
        user = User.objects.get(username="grace")
        self.assertEqual(user.email, "grace@school.example")
        self.assertTrue(user.check_password("a-long-unusual-passphrase"))
        self.assertEqual(list(user.groups.all()), [])
        self.assertEqual(len(sessions_of(user)), 1)

        self.log_out()

        self.assertPath("home")
        self.assertMessageShown("You have been logged out.")
        self.find("#nav-login")
        self.assertNotShown("#logout-form")
        self.assertEqual(sessions_of(user), [])

    def test_is_sent_to_log_in_from_a_student_page_told_of_wrong_credentials_and_brought_back_by_email(self):
        user = make_user(VIEWER, email="ada@school.example")
        self.open("students:list")

        self.assertPath("accounts:login")
        self.assertEqual(self.value_of("login-form", "next"), "/students/")
        self.fill("login-form", username="ADA@school.example", password="not-the-password")
        self.submit("login-form")

        self.assertPath("accounts:login")
        self.wait_for_text("Please enter a correct username or email and password.", "#login-form")
        self.assertEqual(self.value_of("login-form", "username"), "ADA@school.example")
        self.assertEqual(self.value_of("login-form", "next"), "/students/")
        user.refresh_from_db()
        self.assertIsNone(user.last_login)

        self.fill("login-form", password=KNOWN_PASSWORD)
        self.submit("login-form")

        self.assertPath("students:list")
        self.wait_for_text("No students yet.", "#no-students")
        self.find("#logout-form")
        user.refresh_from_db()
        self.assertIsNotNone(user.last_login)
