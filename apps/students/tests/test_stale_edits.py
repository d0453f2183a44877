"""Edits never overwrite each other silently, on the pages and in the API.

Two registrars open the same record; the one who saves second, from what they
opened before the first one saved, is told and nothing of theirs is written.
"""

from django.urls import reverse

from apps.students.models import Course, Student
from project.testing import REGISTRAR, ApiTestCase, given

STALE = "Someone else changed this record after you opened it."


class TwoRegistrars(ApiTestCase):
    """`self.user` and `self.colleague`, each in a browser of their own."""

    role = REGISTRAR
    colleague = given("accounts.registrar")
    student = given("students.student", first_name="Ada", last_name="Lovelace", notes="", date_of_birth=None)
    course = given("students.course", code="CHEM130", title="Chemistry", capacity=10)

    def setUp(self):
        super().setUp()
        self.colleague_app = self.app_class(extra_environ=self.extra_environ)

    def open_as_colleague(self, path):
        return self.colleague_app.get(path, user=self.colleague)


class TestARegistrarSavingAStudentSomeoneElseSavedMeanwhile(TwoRegistrars):
    def setUp(self):
        super().setUp()
        self.path = reverse("students:update", args=[self.student.pk])
        self.mine = self.get(self.path).forms["student-form"]
        theirs = self.open_as_colleague(self.path).forms["student-form"]
        theirs["last_name"] = "King"
        theirs["notes"] = "Married William King."
        self.assertEqual(theirs.submit().status_code, 302)
        self.mine["last_name"] = "Byron"
        self.mine["status"] = "graduated"

    def test_sees_the_form_again_with_the_error_and_what_is_saved_now(self):
        page = self.mine.submit()
        self.assertEqual(page.status_code, 200)
        self.assertEqual(page.html.select_one("form#student-form .form-errors").get_text(strip=True), STALE)
        saved = page.html.select_one("form#student-form #saved-values").get_text(" ", strip=True)
        self.assertIn("Last name: King", saved)
        self.assertIn("Notes: Married William King.", saved)
        self.assertIn("Status: Active", saved)
        shown = [value.get_text(" ", strip=True) for value in page.html.select("form#student-form #saved-values dd")]
        self.assertIn("Date of birth:", shown)  # none saved: nothing after the label
        form = page.forms["student-form"]
        self.assertEqual((form["last_name"].value, form["status"].value), ("Byron", "graduated"))
        self.assertEqual(
            Student.objects.values_list("last_name", "status", "notes").get(),
            ("King", "active", "Married William King."),
        )

    def test_keeps_the_version_field_hidden(self):
        page = self.mine.submit()
        labels = [label.get_text(strip=True) for label in page.html.select("form#student-form label")]
        self.assertNotIn("Version:", labels)
        saved = [value.strong.get_text(strip=True) for value in page.html.select("form#student-form #saved-values dd")]
        self.assertEqual(saved, labels)  # what the form asks, without the version
        self.assertEqual(page.html.select_one("form#student-form input[name=version]")["type"], "hidden")

    def test_can_then_save_what_they_typed_over_it_knowingly(self):
        response = self.mine.submit().forms["student-form"].submit()
        self.assertRedirectsTo(response, "students:detail", self.student.pk)
        self.assertMessage(response.follow(), f"Saved changes to Ada Byron ({self.student.student_number}).")
        self.assertEqual(
            Student.objects.values_list("last_name", "status", "notes", "version").get(),
            ("Byron", "graduated", "", 3),
        )

    def test_is_told_again_when_it_changes_once_more_before_they_save_over_it(self):
        page = self.mine.submit()
        theirs = self.open_as_colleague(self.path).forms["student-form"]
        theirs["notes"] = "Moved to London."
        self.assertEqual(theirs.submit().status_code, 302)

        page = page.forms["student-form"].submit()

        self.assertEqual(page.html.select_one("form#student-form .form-errors").get_text(strip=True), STALE)
        self.assertIn("Notes: Moved to London.", page.html.select_one("#saved-values").get_text(" ", strip=True))
        self.assertEqual(
            Student.objects.values_list("last_name", "notes", "version").get(), ("King", "Moved to London.", 3)
        )

    def test_saving_from_a_form_without_a_version_goes_ahead(self):
        self.mine["version"] = ""
        self.assertRedirectsTo(self.mine.submit(), "students:detail", self.student.pk)
        self.assertEqual(Student.objects.values_list("last_name", "version").get(), ("Byron", 3))


class TestARegistrarSavingACourseSomeoneElseSavedMeanwhile(TwoRegistrars):
    def test_sees_the_error_keeps_what_they_typed_and_saves_nothing(self):
        path = reverse("courses:update", args=[self.course.pk])
        mine = self.get(path).forms["course-form"]
        theirs = self.open_as_colleague(path).forms["course-form"]
        theirs["capacity"] = "12"
        self.assertEqual(theirs.submit().status_code, 302)
        mine["title"] = "Organic Chemistry"

        page = mine.submit()

        self.assertEqual(page.status_code, 200)
        self.assertEqual(page.html.select_one("form#course-form .form-errors").get_text(strip=True), STALE)
        self.assertIn("Capacity: 12", page.html.select_one("#saved-values").get_text(" ", strip=True))
        self.assertEqual(page.forms["course-form"]["title"].value, "Organic Chemistry")
        self.assertEqual(page.forms["course-form"]["capacity"].value, "10")
        self.assertEqual(Course.objects.values_list("title", "capacity", "version").get(), ("Chemistry", 12, 2))


class TestAnApiClientWritingWithIfMatch(TwoRegistrars):
    def api(self, method, path, etag=None, data=None):
        headers = {"If-Match": etag} if etag else {}
        body = {} if data is None else {"data": data}
        return getattr(self, f"api_{method}")(path, headers=headers, expect_errors=True, **body)

    def test_gets_an_etag_that_changes_with_every_save_of_a_student(self):
        path = reverse("api:student-detail", args=[self.student.pk])
        first = self.api("get", path)
        self.assertEqual(first.headers["ETag"], '"1"')
        saved = self.api("patch", path, first.headers["ETag"], data={"last_name": "King"})
        self.assertEqual((saved.status_code, saved.json["last_name"], saved.headers["ETag"]), (200, "King", '"2"'))
        self.assertEqual(self.api("get", path).headers["ETag"], '"2"')
        self.assertEqual(Student.objects.values_list("last_name", "version").get(), ("King", 2))

    def test_is_refused_412_for_a_stale_etag_and_nothing_changes(self):
        for path, theirs, mine in [
            (reverse("api:student-detail", args=[self.student.pk]), {"notes": "Moved."}, {"last_name": "Byron"}),
            (reverse("api:course-detail", args=[self.course.pk]), {"capacity": 12}, {"title": "Organic Chemistry"}),
        ]:
            with self.subTest(path):
                opened = self.api("get", path).headers["ETag"]
                self.assertEqual(self.api("patch", path, opened, data=theirs).status_code, 200)
                saved_now = self.api("get", path).json
                for method, data in [("patch", mine), ("put", {**saved_now, **mine}), ("delete", None)]:
                    with self.subTest(method):
                        self.assertApiError(self.api(method, path, opened, data=data), 412, {"detail": STALE})
                after = self.api("get", path)
                self.assertEqual((after.json, after.headers["ETag"]), (saved_now, '"2"'))
        self.assertEqual(Student.objects.values_list("last_name", "notes", "version").get(), ("Lovelace", "Moved.", 2))
        self.assertEqual(Course.objects.values_list("title", "capacity", "version").get(), ("Chemistry", 12, 2))

    def test_is_refused_412_for_an_if_match_that_names_no_version(self):
        path = reverse("api:course-detail", args=[self.course.pk])
        response = self.api("patch", path, "garbage", data={"capacity": 20})
        self.assertApiError(response, 412, {"detail": STALE})
        self.assertEqual(Course.objects.values_list("capacity", "version").get(), (10, 1))

    def test_writes_with_a_matching_or_any_if_match_or_none_at_all(self):
        path = reverse("api:course-detail", args=[self.course.pk])
        for etag, capacity, version in [('"1"', 11, 2), ('W/"0", "2"', 12, 3), ("*", 13, 4), (None, 14, 5)]:
            with self.subTest(etag=etag):
                response = self.api("patch", path, etag, data={"capacity": capacity})
                self.assertEqual((response.status_code, response.json["seats_left"]), (200, capacity))
                self.assertEqual(response.headers["ETag"], f'"{version}"')
                self.assertEqual(Course.objects.values_list("capacity", "version").get(), (capacity, version))

    def test_deletes_with_the_current_etag(self):
        path = reverse("api:student-detail", args=[self.student.pk])
        response = self.api("delete", path, self.api("get", path).headers["ETag"])
        self.assertEqual(response.status_code, 204)
        self.assertFalse(Student.objects.exists())
