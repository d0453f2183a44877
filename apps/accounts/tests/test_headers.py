"""Security headers on the account pages (see apps/students/tests/test_headers.py)."""

from django.urls import reverse

from apps.students.tests.test_headers import HeadersTestCase
from project.testing import ANONYMOUS, SUPERUSER


class TestASignedInMemberOnTheirProfile(HeadersTestCase):
    role = SUPERUSER

    def test_gets_a_profile_no_one_may_store_that_runs_only_the_sites_own_code(self):
        response = self.get(reverse("accounts:profile"))

        self.assertContains(response, self.user.email)
        self.assertNotStored(response)
        self.assertPolicy(response)

    def test_gets_the_admin_under_the_policy(self):
        response = self.get(reverse("admin:accounts_user_change", args=[self.user.pk]))

        self.assertEqual(response.status_code, 200)
        self.assertNotStored(response)
        self.assertPolicy(response)


class TestAnAnonymousVisitorOnTheAccountPages(HeadersTestCase):
    role = ANONYMOUS

    def test_gets_every_public_page_under_the_policy(self):
        for name in ("home", "accounts:login", "accounts:signup", "accounts:password_reset", "admin:login"):
            with self.subTest(page=name):
                response = self.app.get(reverse(name))

                self.assertEqual(response.content_type, "text/html")
                self.assertPolicy(response)
                self.assertNotStored(response)
