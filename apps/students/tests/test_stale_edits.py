"""Edits never undo a colleague's work, on the pages and in the API.

Two registrars open the same record. A save writes only the fields its user
changed, onto the record as saved at that moment: changes to other fields
merge. When both changed the same field, the second one is shown what is saved
now beside what they typed, and saves it over knowingly or not at all. An API
client that sends `If-Match` is refused (412) when the record changed since.
"""

from importlib import import_module

from django.apps import apps as django_apps
from django.urls import reverse
from model_bakery import baker

from apps.students.models import Course, Enrollment, Student
from project.testing import REGISTRAR, VIEWER, given, make_user
from project.testing_web import ApiTestCase

STALE = "Someone else changed this record after you opened it."


class TwoRegistrars(ApiTestCase):
    """`self.user` and `self.colleague`, each in a browser of their own."""

    role = REGISTRAR
    colleague = given("accounts.registrar")
    student = given("students.student", first_name="Ben", last_name="Lovelace", notes="", date_of_birth=None)
    course = given("students.course", code="CHEM130", title="Chemistry", capacity=10)

    def setUp(self):
        super().setUp()
        self.colleague_app = self.app_class(extra_environ=self.extra_environ)

    def save_as_colleague(self, path, form_id, **changes):
        form = self.colleague_app.get(path, user=self.colleague).forms[form_id]
        for name, value in changes.items():
            form[name] = value
        self.assertEqual(form.submit().status_code, 302)

    def errors_of(self, page, form_id):
        summary = page.html.select_one(f"form#{form_id} .form-errors")
        return [item.get_text(" ", strip=True) for item in summary.select("li")]


class TestARegistrarSavingAStudentSomeoneElseChangedElsewhere(TwoRegistrars):
    def test_saves_their_changes_and_keeps_the_colleagues(self):
        path = reverse("students:update", args=[self.student.pk])
        mine = self.get(path).forms["student-form"]
        self.save_as_colleague(path, "student-form", first_name="Benjamin", notes="Moved to London.")
        mine["last_name"] = "Byron"
        mine["status"] = "graduated"

        response = mine.submit()

        self.assertRedirectsTo(response, "students:detail", self.student.pk)
        number = self.student.student_number
        self.assertMessage(
            response.follow(),
            f"Saved changes to Benjamin Byron ({number}). "
            "What someone else saved meanwhile was kept: First name and Notes.",
        )
        self.assertEqual(
            Student.objects.values_list("first_name", "last_name", "status", "notes", "version").get(),
            ("Benjamin", "Byron", "graduated", "Moved to London.", 3),
        )

    def test_is_not_told_of_anybody_else_when_nobody_else_saved(self):
        path = reverse("students:update", args=[self.student.pk])
        form = self.get(path).forms["student-form"]
        form["last_name"] = "Byron"
        page = form.submit().follow()
        self.assertMessage(page, f"Saved changes to Ben Byron ({self.student.student_number}).")
        self.assertNotContains(page, "meanwhile")
        self.assertEqual(Student.objects.values_list("last_name", "version").get(), ("Byron", 2))


class TestARegistrarWhoseBrowserRetypesWhatTheyLeftAlone(TwoRegistrars):
    """A browser sends a text box's line breaks as "\r\n", whatever the page showed; a code or
    an email may be typed in another case than saved. What is stored the same is no change."""

    def in_a_browser(self, form):
        """`form` as a browser submits it: every text box's line breaks as "\r\n"."""
        for field in form.fields.values():
            for box in field:
                if box.tag == "textarea":
                    box.value = box.value.replace("\n", "\r\n")
        return form

    def test_changes_one_field_and_keeps_the_note_a_colleague_wrote_meanwhile(self):
        Student.objects.filter(pk=self.student.pk).update(notes="Line one\nLine two")
        path = reverse("students:update", args=[self.student.pk])
        mine = self.get(path).forms["student-form"]
        self.api_patch(reverse("api:student-detail", args=[self.student.pk]), {"notes": "Moved to London."})
        mine["first_name"] = "Benjamin"

        response = self.in_a_browser(mine).submit()

        self.assertRedirectsTo(response, "students:detail", self.student.pk)
        self.assertMessage(
            response.follow(),
            f"Saved changes to Benjamin Lovelace ({self.student.student_number}). "
            "What someone else saved meanwhile was kept: Notes.",
        )
        self.assertEqual(
            Student.objects.values_list("first_name", "notes", "version").get(), ("Benjamin", "Moved to London.", 3)
        )

    def test_saves_nothing_new_when_nothing_was_changed(self):
        Course.objects.filter(pk=self.course.pk).update(description="Week 1\nWeek 2")
        page = self.get(reverse("courses:update", args=[self.course.pk]))

        self.in_a_browser(page.forms["course-form"]).submit()

        self.assertEqual(Course.objects.values_list("description", "version").get(), ("Week 1\nWeek 2", 1))
        self.assertEqual(self.api_get(reverse("api:course-detail", args=[self.course.pk])).headers["ETag"], '"1"')

    def test_finds_notes_a_browser_saved_before_the_upgrade_kept_with_newlines_once_it_ran(self):
        Student.objects.filter(pk=self.student.pk).update(notes="One\r\nTwo\rThree")
        Course.objects.filter(pk=self.course.pk).update(description="Week 1\r\nWeek 2")
        upgrade = import_module("apps.students.migrations.0006_line_breaks_stored_as_newlines")

        upgrade.store_line_breaks_as_newlines(django_apps, None)

        self.assertEqual(Student.objects.values_list("notes", "version").get(), ("One\nTwo\nThree", 1))
        self.assertEqual(Course.objects.values_list("description", "version").get(), ("Week 1\nWeek 2", 1))

    def test_types_the_code_a_colleague_saved_meanwhile_in_small_letters_without_a_clash(self):
        path = reverse("courses:update", args=[self.course.pk])
        mine = self.get(path).forms["course-form"]
        self.save_as_colleague(path, "course-form", code="CHEM140", title="Organic Chemistry")
        mine["code"] = "chem140"

        response = mine.submit()

        self.assertRedirectsTo(response, "courses:detail", self.course.pk)
        self.assertEqual(
            Course.objects.values_list("code", "title", "version").get(), ("CHEM140", "Organic Chemistry", 2)
        )


class TestARegistrarChangingAFieldSomeoneElseChangedMeanwhile(TwoRegistrars):
    def setUp(self):
        super().setUp()
        self.path = reverse("students:update", args=[self.student.pk])
        self.mine = self.get(self.path).forms["student-form"]
        self.save_as_colleague(self.path, "student-form", first_name="Benjamin", notes="Married William King.")
        self.mine["first_name"] = "Bertram"
        self.mine["status"] = "graduated"

    def test_sees_which_fields_clash_and_what_is_saved_now_beside_what_they_typed(self):
        page = self.mine.submit()

        self.assertEqual(page.status_code, 200)
        self.assertEqual(
            self.errors_of(page, "student-form"),
            [
                STALE,
                "You both changed First name: save again to keep what you typed there. "
                "Every other field now shows what is saved.",
                "First name: Someone else saved “Benjamin” here meanwhile.",
            ],
        )
        form = page.forms["student-form"]
        self.assertEqual((form["first_name"].value, form["status"].value), ("Bertram", "graduated"))
        self.assertEqual(form["notes"].value, "Married William King.")  # untouched: what is saved now
        self.assertEqual(page.html.h1.text, "Edit Benjamin Lovelace", "the record as saved, not as typed")
        self.assertEqual(
            Student.objects.values_list("first_name", "status", "notes", "version").get(),
            ("Benjamin", "active", "Married William King.", 2),
        )

    def test_sees_every_field_that_clashes_named_and_a_choice_as_the_menu_words_it(self):
        self.save_as_colleague(self.path, "student-form", status="withdrawn")
        self.mine["notes"] = "Moved to Paris."

        page = self.mine.submit()

        self.assertEqual(
            self.errors_of(page, "student-form"),
            [
                STALE,
                "You both changed First name, Status and Notes: save again to keep what you typed there. "
                "Every other field now shows what is saved.",
                "First name: Someone else saved “Benjamin” here meanwhile.",
                "Status: Someone else saved “Withdrawn” here meanwhile.",
                "Notes: Someone else saved “Married William King.” here meanwhile.",
            ],
        )
        self.assertEqual(
            Student.objects.values_list("first_name", "status", "notes", "version").get(),
            ("Benjamin", "withdrawn", "Married William King.", 3),
        )

    def test_has_the_saved_value_read_out_with_the_field(self):
        page = self.mine.submit()
        field = page.html.select_one("form#student-form input[name=first_name]")
        self.assertEqual(field["aria-invalid"], "true")
        described_by = [
            page.html.find(id=name).get_text(" ", strip=True) for name in field["aria-describedby"].split()
        ]
        self.assertIn("Someone else saved “Benjamin” here meanwhile.", described_by)
        self.assertValidHtml(page)

    def test_can_then_save_what_they_typed_over_it_knowingly_and_keep_the_rest(self):
        response = self.mine.submit().forms["student-form"].submit()

        self.assertRedirectsTo(response, "students:detail", self.student.pk)
        self.assertMessage(response.follow(), f"Saved changes to Bertram Lovelace ({self.student.student_number}).")
        self.assertEqual(
            Student.objects.values_list("first_name", "status", "notes", "version").get(),
            ("Bertram", "graduated", "Married William King.", 3),
        )

    def test_is_told_again_when_the_field_changes_once_more_before_they_save_over_it(self):
        page = self.mine.submit()
        self.save_as_colleague(self.path, "student-form", first_name="Benedict")

        page = page.forms["student-form"].submit()

        self.assertIn(
            "First name: Someone else saved “Benedict” here meanwhile.", self.errors_of(page, "student-form")
        )
        self.assertEqual(
            Student.objects.values_list("first_name", "status", "version").get(), ("Benedict", "active", 3)
        )

    def test_keeps_what_is_saved_meanwhile_in_other_fields_when_they_save_over_it(self):
        page = self.mine.submit()
        self.save_as_colleague(self.path, "student-form", email="ben@school.example")

        self.assertEqual(page.forms["student-form"].submit().status_code, 302)

        self.assertEqual(
            Student.objects.values_list("first_name", "status", "email", "version").get(),
            ("Bertram", "graduated", "ben@school.example", 4),
        )

    def test_is_told_when_the_colleague_emptied_the_field(self):
        form = self.mine.submit().forms["student-form"]  # the notes now show "Married William King."
        form["notes"] = "Married."
        self.save_as_colleague(self.path, "student-form", notes="")

        page = form.submit()

        self.assertIn("Notes: Someone else emptied this field meanwhile.", self.errors_of(page, "student-form"))
        self.assertEqual(Student.objects.get().notes, "")

    def test_changing_it_to_what_the_colleague_saved_is_no_clash(self):
        self.mine["first_name"] = "Benjamin"
        self.assertRedirectsTo(self.mine.submit(), "students:detail", self.student.pk)
        self.assertEqual(Student.objects.values_list("first_name", "status").get(), ("Benjamin", "graduated"))


class TestTheRecordAStudentFormWasOpenedOn(TwoRegistrars):
    def setUp(self):
        super().setUp()
        self.path = reverse("students:update", args=[self.student.pk])
        self.form = self.get(self.path).forms["student-form"]

    def test_travels_in_a_hidden_field_with_no_label(self):
        page = self.get(self.path)
        labels = [label.get_text(strip=True) for label in page.html.select("form#student-form label")]
        self.assertEqual(
            labels, ["First name:", "Last name:", "Email:", "Date of birth:", "Status:", "Enrolled on:", "Notes:"]
        )
        self.assertEqual(page.html.select_one("form#student-form input[name=opened]")["type"], "hidden")

    # A client that posts only the record's fields (a script, a test client) leaves the hidden field out.
    def test_a_post_without_it_is_read_against_the_form_the_page_showed_and_keeps_the_colleagues_work(self):
        self.save_as_colleague(self.path, "student-form", notes="Moved to London.")
        self.form["opened"] = ""
        self.form["last_name"] = "Byron"

        response = self.form.submit()

        self.assertMessage(
            response.follow(),
            f"Saved changes to Ben Byron ({self.student.student_number}). "
            "What someone else saved meanwhile was kept: Notes.",
        )
        self.assertEqual(
            Student.objects.values_list("last_name", "notes", "version").get(), ("Byron", "Moved to London.", 3)
        )

    def test_a_post_without_it_is_shown_a_clash_and_saves_over_it_only_when_saving_again(self):
        self.save_as_colleague(self.path, "student-form", last_name="King")
        self.form["opened"] = ""
        self.form["last_name"] = "Byron"

        page = self.form.submit()

        self.assertEqual(page.status_code, 200)
        self.assertIn(STALE, self.errors_of(page, "student-form"))
        self.assertEqual(Student.objects.values_list("last_name", "version").get(), ("King", 2))
        again = page.forms["student-form"]
        again["opened"] = ""
        self.assertRedirectsTo(again.submit(), "students:detail", self.student.pk)
        self.assertEqual(Student.objects.values_list("last_name", "version").get(), ("Byron", 3))

    def test_a_post_without_it_after_saving_once_keeps_what_a_colleague_saved_since_in_a_field_saved_then(self):
        self.form["opened"] = ""
        self.form["last_name"] = "Byron"
        self.form.submit()
        self.save_as_colleague(self.path, "student-form", last_name="King")
        self.form["notes"] = "Prefers Ada."  # the same fields sent again, one more changed

        response = self.form.submit()

        self.assertRedirectsTo(response, "students:detail", self.student.pk)
        self.assertEqual(
            Student.objects.values_list("last_name", "notes", "version").get(), ("King", "Prefers Ada.", 4)
        )

    def test_a_page_that_sends_it_is_read_against_it_even_after_the_record_was_opened_again_in_another_tab(self):
        self.save_as_colleague(self.path, "student-form", last_name="King")
        self.get(self.path)  # a second tab, opened after the colleague's save
        self.form["last_name"] = "Byron"  # typed in the first tab

        page = self.form.submit()

        self.assertEqual(page.status_code, 200)
        self.assertIn(STALE, self.errors_of(page, "student-form"))
        self.assertEqual(Student.objects.values_list("last_name", "version").get(), ("King", 2))

    def test_a_post_without_it_is_read_against_the_forms_of_the_last_20_records_the_session_opened(self):
        others = baker.make_recipe("students.student", _quantity=20)
        forms = {self.student: self.form}  # opened first, so forgotten first
        forms.update(
            (other, self.get(reverse("students:update", args=[other.pk])).forms["student-form"]) for other in others
        )
        for record, notes_now in ((others[0], "Moved to London."), (self.student, "")):
            with self.subTest(remembered=record != self.student):
                path = reverse("students:update", args=[record.pk])
                self.save_as_colleague(path, "student-form", notes="Moved to London.")
                forms[record]["opened"] = ""
                forms[record]["last_name"] = "Byron"

                self.assertEqual(forms[record].submit().status_code, 302)

                record.refresh_from_db()
                self.assertEqual((record.last_name, record.notes), ("Byron", notes_now))

    def test_a_post_from_a_browser_that_never_opened_the_form_writes_every_field_that_differs(self):
        self.save_as_colleague(self.path, "student-form", notes="Moved to London.")
        sent = {
            name: value for name, value in self.form.submit_fields() if name not in ("opened", "csrfmiddlewaretoken")
        }
        self.renew_app()  # nothing tells what this browser saw: what it sends is what it wants

        response = self.post(self.path, {**sent, "last_name": "Byron"})

        self.assertRedirectsTo(response, "students:detail", self.student.pk)
        self.assertEqual(Student.objects.values_list("last_name", "notes", "version").get(), ("Byron", "", 3))

    def test_a_damaged_one_is_refused_and_nothing_is_saved(self):
        self.form["opened"] = self.form["opened"].value[:-3] + "abc"
        self.form["last_name"] = "Byron"
        page = self.form.submit()
        self.assertEqual(page.status_code, 200)
        self.assertIn(
            "This form was damaged on the way. Open the record again and make your changes.",
            self.errors_of(page, "student-form"),
        )
        self.assertEqual(page.forms["student-form"]["last_name"].value, "Byron")
        self.assertEqual(Student.objects.values_list("last_name", "version").get(), ("Lovelace", 1))


class TestARegistrarSavingACourseSomeoneElseSavedMeanwhile(TwoRegistrars):
    def setUp(self):
        super().setUp()
        self.path = reverse("courses:update", args=[self.course.pk])
        self.mine = self.get(self.path).forms["course-form"]
        self.save_as_colleague(self.path, "course-form", capacity="12")

    def test_saves_another_field_and_keeps_the_colleagues_capacity(self):
        self.mine["title"] = "Organic Chemistry"
        response = self.mine.submit()
        self.assertMessage(
            response.follow(),
            "Saved changes to course CHEM130. What someone else saved meanwhile was kept: Capacity.",
        )
        self.assertEqual(
            Course.objects.values_list("title", "capacity", "version").get(), ("Organic Chemistry", 12, 3)
        )

    def test_saves_another_field_after_the_course_filled_past_the_capacity_they_opened(self):
        # 12 seats now (the colleague's save), 11 taken: more than the 10 this form shows.
        students = baker.make_recipe("students.student", _quantity=11)
        baker.make_recipe("students.enrollment", course=self.course, student=iter(students), _quantity=11)
        self.mine["title"] = "Organic Chemistry"

        response = self.mine.submit()

        self.assertRedirectsTo(response, "courses:detail", self.course.pk)
        self.assertEqual(
            Course.objects.values_list("title", "capacity", "version").get(), ("Organic Chemistry", 12, 3)
        )

    def test_sees_the_clash_on_the_capacity_keeps_what_they_typed_and_saves_nothing(self):
        self.mine["title"] = "Organic Chemistry"
        self.mine["capacity"] = "15"

        page = self.mine.submit()

        self.assertEqual(page.status_code, 200)
        self.assertIn("Capacity: Someone else saved “12” here meanwhile.", self.errors_of(page, "course-form"))
        form = page.forms["course-form"]
        self.assertEqual((form["title"].value, form["capacity"].value), ("Organic Chemistry", "15"))
        self.assertEqual(Course.objects.values_list("title", "capacity", "version").get(), ("Chemistry", 12, 2))


class TestARegistrarSavingARecordSomeoneElseDeletedMeanwhile(TwoRegistrars):
    """Nothing is saved, and nothing typed is lost: it waits in the form that adds it anew."""

    def open_then_see_it_deleted(self, section, record, form_id):
        mine = self.get(reverse(f"{section}:update", args=[record.pk])).forms[form_id]
        delete_path = reverse(f"{section}:delete", args=[record.pk])
        form = self.colleague_app.get(delete_path, user=self.colleague).forms[f"delete-{form_id}"]
        self.assertEqual(form.submit().status_code, 302)
        return mine

    def test_is_told_nothing_was_saved_and_finds_what_they_typed_in_the_form_that_adds_it(self):
        mine = self.open_then_see_it_deleted("students", self.student, "student-form")
        mine["last_name"] = "Byron"
        mine["notes"] = "Moved to London."

        page = mine.submit(status=404)

        self.assertEqual(page.html.h1.get_text(strip=True), "This student no longer exists")
        self.assertContains(
            page, "Someone deleted it after you opened it, so nothing you typed was saved.", status_code=404
        )
        form = page.forms["student-form"]
        self.assertEqual(form.action, reverse("students:create"))
        self.assertEqual(
            [form[name].value for name in ("first_name", "last_name", "email", "status", "notes")],
            ["Ben", "Byron", self.student.email, self.student.status, "Moved to London."],
        )
        self.assertEqual(page.html.select_one("#student-form a").get("href"), reverse("students:list"))
        self.assertValidHtml(page)
        self.assertFalse(Student.objects.exists())

    def test_can_add_it_again_as_a_new_student_from_there(self):
        mine = self.open_then_see_it_deleted("students", self.student, "student-form")
        mine["last_name"] = "Byron"
        form = mine.submit(status=404).forms["student-form"]

        response = form.submit()

        added = Student.objects.get()
        self.assertRedirectsTo(response, "students:detail", added.pk)
        self.assertMessage(response.follow(), f"Added student Ben Byron ({added.student_number}).")
        self.assertNotEqual(added.pk, self.student.pk)
        self.assertEqual((added.email, added.enrolled_on), (self.student.email, self.student.enrolled_on))

    def test_a_post_without_the_hidden_field_is_kept_too_once_the_session_opened_the_form(self):
        self.open_then_see_it_deleted("students", self.student, "student-form")
        path = reverse("students:update", args=[self.student.pk])

        page = self.post(path, {"first_name": "Ben", "last_name": "Byron"}, status=404)

        self.assertEqual(page.html.h1.get_text(strip=True), "This student no longer exists")
        self.assertEqual(page.forms["student-form"]["last_name"].value, "Byron")
        self.assertFalse(Student.objects.exists())

    def test_keeps_what_they_typed_of_a_course_and_can_add_it_again(self):
        mine = self.open_then_see_it_deleted("courses", self.course, "course-form")
        mine["title"] = "Organic Chemistry"
        mine["capacity"] = "15"

        page = mine.submit(status=404)

        self.assertEqual(page.html.h1.get_text(strip=True), "This course no longer exists")
        form = page.forms["course-form"]
        self.assertEqual((form["code"].value, form["title"].value, form["capacity"].value),
                         ("CHEM130", "Organic Chemistry", "15"))  # fmt: skip
        self.assertFalse(Course.objects.exists())
        response = form.submit()
        added = Course.objects.get()
        self.assertRedirectsTo(response, "courses:detail", added.pk)
        self.assertMessage(response.follow(), "Added course CHEM130.")
        self.assertEqual(Course.objects.values_list("code", "title", "capacity").get(),
                         ("CHEM130", "Organic Chemistry", 15))  # fmt: skip

    def test_a_viewer_posting_to_it_gets_the_refusal_and_sees_nothing_typed(self):
        path = reverse("students:update", args=[self.student.pk])
        self.student.delete()

        viewer = make_user(VIEWER)

        page = self.post(path, {"last_name": "Byron"}, user=viewer, status=403)

        self.assertNoAccess(page)
        self.assertNotContains(page, "Byron", status_code=403)
        self.assertFalse(Student.objects.exists())


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
                        refused = self.api(method, path, opened, data=data)
                        self.assertApiError(refused, 412, {"detail": STALE})
                        self.assertEqual(refused.headers.get("ETag"), '"2"')  # the version saved now
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

    def test_gets_the_first_version_for_records_saved_before_versions_once_the_upgrade_numbered_them(self):
        Student.objects.update(version=0)  # what the 0002 migration's new column holds before it runs
        Course.objects.update(version=0)
        import_module("apps.students.migrations.0002_record_versions").number_existing_records(django_apps, None)

        self.assertEqual(self.api("get", reverse("api:student-detail", args=[self.student.pk])).headers["ETag"], '"1"')
        self.assertEqual(self.api("get", reverse("api:course-detail", args=[self.course.pk])).headers["ETag"], '"1"')
        self.assertEqual(Student.objects.values_list("version", flat=True).get(), 1)
        self.assertEqual(Course.objects.values_list("version", flat=True).get(), 1)

    def test_is_refused_412_when_the_record_it_read_was_enrolled_or_unenrolled_since(self):
        student_path = reverse("api:student-detail", args=[self.student.pk])
        course_path = reverse("api:course-detail", args=[self.course.pk])
        read = {path: self.api("get", path).headers["ETag"] for path in (student_path, course_path)}
        enrolled = self.api_post(
            reverse("api:enrollment-list"), {"student": self.student.pk, "course": self.course.pk}
        )

        for path, data in ((student_path, None), (course_path, {"capacity": 1})):
            with self.subTest(path):
                method = "delete" if data is None else "patch"
                self.assertApiError(self.api(method, path, read[path], data=data), 412, {"detail": STALE})
        self.assertEqual(Enrollment.objects.count(), 1)  # the student and the enrollment are still there
        self.assertEqual(Course.objects.values_list("capacity", "version").get(), (10, 2))

        # Each answer's ETag changes with what it shows: the student's courses, the course's seats.
        now = {path: self.api("get", path).headers["ETag"] for path in (student_path, course_path)}
        self.assertEqual(now, {student_path: '"2"', course_path: '"2"'})
        self.api_delete(reverse("api:enrollment-detail", args=[enrolled.json["id"]]))
        after = {path: self.api("get", path) for path in (student_path, course_path)}
        self.assertEqual(
            {path: response.headers["ETag"] for path, response in after.items()},
            {student_path: '"3"', course_path: '"3"'},
        )
        self.assertEqual((after[student_path].json["courses"], after[course_path].json["seats_left"]), ([], 10))

    def test_of_a_course_is_refused_412_when_a_student_in_it_was_deleted_since(self):
        course_path = reverse("api:course-detail", args=[self.course.pk])
        baker.make_recipe("students.enrollment", student=self.student, course=self.course)
        read = self.api("get", course_path).headers["ETag"]
        self.api_delete(reverse("api:student-detail", args=[self.student.pk]))

        self.assertApiError(self.api("patch", course_path, read, data={"capacity": 1}), 412, {"detail": STALE})

        self.assertEqual(self.api("get", course_path).json["seats_left"], 10)
        self.assertEqual(Course.objects.values_list("capacity", "version").get(), (10, 2))

    def test_deletes_with_the_current_etag(self):
        path = reverse("api:student-detail", args=[self.student.pk])
        response = self.api("delete", path, self.api("get", path).headers["ETag"])
        self.assertEqual(response.status_code, 204)
        self.assertFalse(Student.objects.exists())
