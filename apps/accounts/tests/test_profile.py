from django.contrib import messages
from rest_framework.authtoken.models import Token

from project.testing import ADMINISTRATOR, PENDING, REGISTRAR, VIEWER, make_user, token_for
from project.testing_web import WebTestCase


class TestAMemberViewingTheirProfile(WebTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.members = {
            "Viewer": make_user(VIEWER, username="vera", email="vera@school.example"),
            "Registrar": make_user(REGISTRAR, username="rita", email="rita@school.example"),
            "Administrator": make_user(ADMINISTRATOR, username="ada", email="ada@school.example"),
            "Pending approval": make_user(PENDING, username="nora", email="nora@school.example"),
        }

    def test_sees_their_username_email_role_and_api_token(self):
        for role, member in self.members.items():
            with self.subTest(role=role):
                token = token_for(member)

                page = self.get("/accounts/profile/", user=member)

                self.assertEqual(page.status_code, 200)
                self.assertEqual(page.html.select_one("#profile-username").get_text(), member.username)
                self.assertEqual(page.html.select_one("#profile-email").get_text(), member.email)
                self.assertEqual(page.html.select_one("#profile-role").get_text(), role)
                self.assertEqual(page.html.select_one("#api-token").get_text(), token)

    def test_keeps_the_same_token_from_visit_to_visit(self):
        member = self.members["Viewer"]
        key = token_for(member)
        first = self.get("/accounts/profile/", user=member).html.select_one("#api-token").get_text()

        second = self.get("/accounts/profile/", user=member).html.select_one("#api-token").get_text()

        self.assertEqual((first, second), (key, key))
        self.assertEqual(Token.objects.filter(user=member).count(), 1)

    def test_without_a_token_is_offered_one_and_looking_creates_none(self):
        member = self.members["Registrar"]
        page = self.get("/accounts/profile/", user=member)

        self.assertEqual(
            page.html.select_one("#no-api-token").get_text(),
            "None yet (or ended by a password change or reset, or when the account lost its role).",
        )
        self.assertFalse(Token.objects.filter(user=member).exists())

        page = page.forms["regenerate-token-form"].submit().follow()

        self.assertEqual(page.html.select_one("#api-token").get_text(), Token.objects.get(user=member).key)
        self.assertMessage(
            page, "Your API token was created. Send it in an Authorization: Token header.", level=messages.SUCCESS
        )
        self.assertNotContains(page, "regenerated")

    def test_can_follow_the_link_to_change_their_password(self):
        page = self.get("/accounts/profile/", user=self.members["Viewer"])

        self.assertIn("password-change-form", page.click(linkid="change-password").forms)

    def test_can_follow_the_link_to_the_api_documentation(self):
        page = self.get("/accounts/profile/", user=self.members["Viewer"])

        docs = page.click(linkid="api-docs")
        self.assertEqual(docs.status_code, 200)
        self.assertEqual(docs.request.path, "/api/docs/")

    def test_finds_the_way_back_from_the_api_documentation_to_the_site_and_the_token(self):
        docs = self.get("/api/docs/", user=self.members["Viewer"])

        self.assertEqual(docs.html.select_one("#back-to-site").get_text(), "← Back to Student Records")
        self.assertEqual(docs.click(linkid="back-to-site").follow().request.path, "/students/")
        profile = docs.click(linkid="api-docs-token")
        self.assertEqual(profile.html.select_one("#profile-username").get_text(), "vera")
        self.assertValidHtml(docs)


class TestAMemberRegeneratingTheirApiToken(WebTestCase):
    role = VIEWER

    def test_gets_a_new_token_and_the_old_one_stops_working(self):
        token_for(self.user)
        page = self.get("/accounts/profile/")
        old_key = page.html.select_one("#api-token").get_text()
        self.assertEqual(self.app.get("/api/students/", headers=self.api_headers(old_key)).status_code, 200)

        page = page.click(linkid="regenerate-token")
        self.assertContains(page, "<h1>Regenerate your API token?</h1>", html=True)
        self.assertEqual(Token.objects.get(user=self.user).key, old_key, "asking changes nothing")
        response = page.forms["regenerate-token-form"].submit()

        self.assertRedirectsTo(response, "accounts:profile")
        page = response.follow()
        self.assertMessage(
            page, "Your API token was regenerated. The old one no longer works.", level=messages.SUCCESS
        )
        new_key = page.html.select_one("#api-token").get_text()
        self.assertNotEqual(new_key, old_key)
        self.assertEqual(Token.objects.get(user=self.user).key, new_key)
        self.assertFalse(Token.objects.filter(key=old_key).exists())
        self.assertEqual(
            self.app.get("/api/students/", headers=self.api_headers(old_key), expect_errors=True).status_code, 401
        )
        self.assertEqual(self.app.get("/api/students/", headers=self.api_headers(new_key)).status_code, 200)

    def test_is_asked_to_confirm_first_and_can_change_their_mind(self):
        token = Token.objects.create(user=self.user)

        page = self.get("/accounts/profile/").click(linkid="regenerate-token")

        self.assertEqual(page.status_code, 200)
        self.assertIn("stops working", page.html.select_one("main p").text)
        self.assertEqual(page.html.select_one("#regenerate-token-form button")["class"], ["button-danger"])
        page = page.click(linkid="cancel-regenerate")
        self.assertEqual(page.request.path, "/accounts/profile/")
        self.assertEqual(Token.objects.get(user=self.user).key, token.key)
