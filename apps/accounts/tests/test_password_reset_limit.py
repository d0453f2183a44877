"""Password-reset mail: at most 3 an hour to one address, and the page says the same either way."""

from datetime import UTC, datetime, timedelta

from django.core import mail
from django.db.models import F
from django.test import SimpleTestCase
from django.urls import reverse

from apps.accounts.models import PasswordResetRequest
from project.testing import given
from project.testing_web import WebTestCase


class TestSomeoneAskingForManyResetMails(WebTestCase):
    member = given("accounts.viewer", email="Katherine@School.example")
    colleague = given("accounts.viewer", email="dorothy@school.example")

    def request_reset(self, email):
        form = self.app.get(reverse("accounts:password_reset")).forms["password-reset-form"]
        form["email"] = email
        return form.submit()

    def wind_the_clock_on(self, **elapsed):
        PasswordResetRequest.objects.update(requested_at=F("requested_at") - timedelta(**elapsed))

    def test_gets_three_mails_an_hour_and_the_same_answer_for_the_fourth(self):
        answers = [self.request_reset("katherine@school.example") for _ in range(4)]

        self.assertEqual(len(mail.outbox), 3)
        self.assertEqual({tuple(message.to) for message in mail.outbox}, {("Katherine@School.example",)})
        for answer in answers:
            self.assertRedirectsTo(answer, "accounts:password_reset_done")
        self.assertEqual(answers[3].follow().text, answers[0].follow().text)
        self.assertEqual(PasswordResetRequest.objects.count(), 3)

    def test_counts_the_address_in_any_letter_case_as_one(self):
        for typed in ("katherine@school.example", "KATHERINE@SCHOOL.EXAMPLE", "Katherine@School.example"):
            self.request_reset(typed)

        self.request_reset("katherine@School.Example")

        self.assertEqual(len(mail.outbox), 3)

    def test_does_not_hold_back_mail_to_other_addresses(self):
        for _ in range(4):
            self.request_reset("katherine@school.example")

        self.request_reset("dorothy@school.example")

        self.assertEqual(mail.outbox[-1].to, ["dorothy@school.example"])
        self.assertEqual(len(mail.outbox), 4)

    def test_gets_a_mail_again_an_hour_after_the_first_of_the_three(self):
        for _ in range(3):
            self.request_reset("katherine@school.example")
        self.wind_the_clock_on(minutes=59)
        self.request_reset("katherine@school.example")
        self.assertEqual(len(mail.outbox), 3)

        self.wind_the_clock_on(minutes=1, seconds=1)
        self.request_reset("katherine@school.example")

        self.assertEqual(len(mail.outbox), 4)
        self.assertEqual(PasswordResetRequest.objects.count(), 1)

    def test_does_not_count_mails_to_a_look_alike_address_against_the_real_one(self):
        """A dotless i (which upper-cases to I) must not use up Katherine's mails."""
        look_alike = "kather\N{LATIN SMALL LETTER DOTLESS I}ne@school.example"
        for _ in range(3):
            self.request_reset(look_alike)

        self.request_reset("katherine@school.example")

        self.assertEqual([message.to for message in mail.outbox], [["Katherine@School.example"]])

    def test_keeps_no_address_in_the_database(self):
        self.request_reset("katherine@school.example")
        self.request_reset("nobody@school.example")

        digests = list(PasswordResetRequest.objects.values_list("address_digest", flat=True))
        self.assertEqual(len(set(digests)), 2)
        self.assertFalse([digest for digest in digests if "@" in digest or "school" in digest])
        self.assertEqual(len(mail.outbox), 1)


class TestARecordedResetRequest(SimpleTestCase):
    def test_names_when_it_was_made_and_nothing_else(self):
        request = PasswordResetRequest(address_digest="0" * 64, requested_at=datetime(2026, 3, 1, 9, 30, tzinfo=UTC))

        self.assertEqual(str(request), "password reset requested at 2026-03-01 09:30")
