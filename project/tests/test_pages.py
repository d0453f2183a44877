"""What every page shares: valid HTML, the skip link, the navigation, messages, error summaries, the favicon."""

from datetime import date
from types import SimpleNamespace

from django.test import SimpleTestCase

from apps.students.models import Course, Student
from project.testing import ADMINISTRATOR, ANONYMOUS, REGISTRAR, VIEWER, given
from project.testing_web import WebTestCase, database_state, html_problems


class TestTheFavicon(WebTestCase):
    role = ANONYMOUS

    def test_is_there_for_anyone_at_the_usual_address(self):
        response = self.get("/favicon.ico")
        self.assertEqual(response.status_code, 302)
        icon = response.follow()
        self.assertEqual(icon.status_code, 200)
        self.assertTrue(icon.content.startswith(b"\x00\x00\x01\x00"), "an ICO file")
        self.assertIn("icon", icon.content_type)

    def test_is_named_by_every_page(self):
        page = self.get("/")
        self.assertEqual(page.html.select_one("link[rel=icon]")["href"], "/static/favicon.ico")


class TestEveryPageForKeyboardAndScreenReaderUsers(WebTestCase):
    role = VIEWER
    student = given("students.student")
    course = given("students.course")

    def test_starts_with_a_link_that_skips_to_the_main_content(self):
        page = self.get("/students/")
        skip = page.html.select_one("body > a")
        self.assertEqual((skip.text, skip["href"]), ("Skip to main content", "#main"))
        self.assertEqual(page.html.select_one("#main").name, "main")

    def test_marks_where_they_are_in_the_navigation(self):
        cases = [
            ("/students/", "nav-students", "page"),
            (f"/students/{self.student.pk}/", "nav-students", "true"),
            ("/courses/", "nav-courses", "page"),
            (f"/courses/{self.course.pk}/", "nav-courses", "true"),
            ("/accounts/profile/", "nav-profile", "page"),
        ]
        for path, current, value in cases:
            with self.subTest(path=path):
                page = self.get(path)
                marked = {link["id"]: link["aria-current"] for link in page.html.select("nav [aria-current]")}
                self.assertEqual(marked, {current: value})

    def test_marks_the_login_and_sign_up_pages_for_visitors(self):
        for path, current in [("/accounts/login/", "nav-login"), ("/accounts/signup/", "nav-signup")]:
            with self.subTest(path=path):
                page = self.get(path, user=None)
                self.assertEqual([link["id"] for link in page.html.select("nav [aria-current=page]")], [current])


class TestMessagesAndErrors(WebTestCase):
    role = REGISTRAR
    course = given("students.course", code="ART140")
    enrollment = given("students.enrollment", course=course)

    def test_announces_a_confirmation_politely_in_a_plain_list(self):
        form = self.get("/courses/new/").forms["course-form"]
        form["code"], form["title"], form["capacity"] = "BIO110", "Biology", "20"
        page = form.submit().follow()

        item = page.html.select_one("#messages > li")
        self.assertNotIn("role", item.attrs)
        self.assertEqual(item.select_one("[role=status]").text, "Added course BIO110.")
        self.assertTrue(Course.objects.filter(code="BIO110").exists())

    def test_announces_a_refusal_as_an_alert(self):
        page = self.post(f"/courses/{self.course.pk}/delete/").follow()

        alert = page.html.select_one("#messages [role=alert]")
        self.assertIn("ART140 still has enrolled students", alert.text)
        self.assertTrue(Course.objects.filter(pk=self.course.pk).exists())

    def test_sums_up_a_failed_save_above_the_form_with_links_to_each_field(self):
        form = self.get("/students/new/").forms["student-form"]
        form["first_name"], form["email"] = "Ada", "not-an-email"
        page = form.submit()

        summary = page.html.select_one("#error-summary")
        self.assertEqual((summary["role"], summary["tabindex"]), ("alert", "-1"))
        self.assertEqual(summary.h2.text, "There is a problem")
        links = [(link["href"], link.text) for link in summary.select("a")]
        self.assertEqual(
            links,
            [
                ("#id_last_name", "Last name: Enter the last name."),
                ("#id_email", "Email: Enter an email address like name@school.example."),
            ],
        )
        email = page.html.select_one("#id_email")
        self.assertEqual((email["aria-invalid"], email["aria-describedby"]), ("true", "id_email_error"))
        self.assertEqual(page.html.select_one("script[src]")["src"], "/static/js/site.js")
        self.assertValidHtml(page)
        self.assertEqual(Student.objects.count(), 1, "only the enrolled one from the setup")


class TestThePageTitle(WebTestCase):
    """After a refused submit the title starts with "Error: " (read out first when the page loads)."""

    role = REGISTRAR

    def title(self, page):
        return page.html.select_one("title").get_text()

    def test_starts_with_error_after_a_form_is_refused(self):
        for path, form_id, user, title in (
            ("/students/new/", "student-form", ..., "Error: Add student · Student Records"),
            ("/courses/new/", "course-form", ..., "Error: Add course · Student Records"),
            ("/accounts/password/change/", "password-change-form", ..., "Error: Change password · Student Records"),
            ("/accounts/signup/", "signup-form", None, "Error: Sign up · Student Records"),
        ):
            with self.subTest(path=path):
                page = self.get(path, user=user)
                self.assertEqual(self.title(page), title.removeprefix("Error: "))

                self.assertEqual(self.title(page.forms[form_id].submit()), title)
        self.assertFalse(Student.objects.exists())
        self.assertFalse(Course.objects.exists())

    def test_starts_with_error_when_logging_in_fails(self):
        form = self.get("/accounts/login/", user=None).forms["login-form"]
        form["username"], form["password"] = "nobody", "wrong-password"

        self.assertEqual(self.title(form.submit()), "Error: Log in · Student Records")


class TestEveryFormWithFields(WebTestCase):
    """The site shows its own errors: no form with fields leaves them to the browser's bubbles."""

    role = ADMINISTRATOR
    student = given("students.student")
    course = given("students.course")

    def test_turns_the_browsers_own_checks_off(self):
        student, course = f"/students/{self.student.pk}/", f"/courses/{self.course.pk}/"
        pages = ["/students/", "/students/new/", student, f"{student}edit/", "/courses/new/", f"{course}edit/",
                 "/accounts/people/", "/accounts/password/change/",
                 "/accounts/signup/", "/accounts/login/", "/accounts/password/reset/"]  # fmt: skip
        checked = 0
        for path in pages:
            page = self.get(path, user=None if path in pages[-3:] else ...)
            for form in page.html.select("main form"):
                if form.select("input:not([type=hidden]), select, textarea"):
                    checked += 1
                    with self.subTest(path=path, form=form.get("id")):
                        self.assertIn("novalidate", form.attrs)
        self.assertGreaterEqual(checked, len(pages))


class TestEveryFormsButtonAndWayBack(WebTestCase):
    """Each form's button says what it does; its Cancel (or Back) link returns to where the user was."""

    role = ADMINISTRATOR
    student = given("students.student")
    course = given("students.course", code="MATH101")
    enrollment = given("students.enrollment", student=student, course=course)
    empty_course = given("students.course")

    def test_names_each_button_for_what_it_does(self):
        student, course, enrollment = self.student.pk, self.empty_course.pk, self.enrollment.pk
        before = database_state()
        for path, form_id, words, user in (
            ("/accounts/login/", "login-form", "Log in", None),
            ("/accounts/signup/", "signup-form", "Sign up", None),
            ("/accounts/password/reset/", "password-reset-form", "Send the link", None),
            ("/accounts/password/change/", "password-change-form", "Change password", ...),
            ("/accounts/profile/", "regenerate-token-form", "Create an API token", ...),  # they have none yet
            ("/accounts/profile/token/", "regenerate-token-form", "Yes, regenerate", ...),
            ("/students/new/", "student-form", "Save", ...),
            (f"/students/{student}/edit/", "student-form", "Save", ...),
            (f"/students/{student}/", "enroll-form", "Enroll", ...),
            (f"/students/{student}/delete/", "delete-student-form", "Yes, delete", ...),
            (f"/students/{student}/enrollments/{enrollment}/delete/", "unenroll-form", "Yes, unenroll", ...),
            ("/courses/new/", "course-form", "Save", ...),
            (f"/courses/{course}/edit/", "course-form", "Save", ...),
            (f"/courses/{course}/delete/", "delete-course-form", "Yes, delete", ...),
        ):
            with self.subTest(path=path):
                page = self.get(path, user=user)
                buttons = [button.get_text(strip=True) for button in page.html.select(f"#{form_id} button")]
                self.assertEqual(buttons, [words])
        self.assertEqual(database_state(), before, "a GET changes nothing")

    def test_leads_back_from_each_form_to_the_page_the_user_came_from_changing_nothing(self):
        student, course = f"/students/{self.student.pk}/", f"/courses/{self.course.pk}/"
        empty = f"/courses/{self.empty_course.pk}/"
        before = database_state()
        for path, link, back_to in (
            ("/students/new/", "Cancel", "/students/"),
            (f"{student}edit/", "Cancel", student),
            (f"{student}delete/", "Cancel", student),
            (f"{student}enrollments/{self.enrollment.pk}/delete/", "Cancel", student),
            ("/courses/new/", "Cancel", "/courses/"),
            (f"{course}edit/", "Cancel", course),
            (f"{empty}delete/", "Cancel", empty),
            (f"{course}delete/", "Back to MATH101", course),  # it has a student: nothing to confirm
            ("/accounts/profile/token/", "Cancel", "/accounts/profile/"),
        ):
            with self.subTest(path=path):
                page = self.get(path).click(description=f"^{link}$")

                self.assertEqual((page.status_code, page.request.path), (200, back_to))
        self.assertEqual(database_state(), before, "a GET changes nothing")


class TestOneDateFormatAcrossTheSite(WebTestCase):
    """Every date reads 2009-12-16: on the pages, in the date fields and their hints."""

    role = REGISTRAR
    student = given("students.student", date_of_birth=date(2009, 12, 16), enrolled_on=date(2024, 9, 1))
    enrollment = given("students.enrollment", student=student)

    def test_on_the_list_the_students_page_and_the_edit_form(self):
        listed = self.get("/students/").html.select_one(f"#student-{self.student.pk} .date").get_text()
        page = self.get(f"/students/{self.student.pk}/")
        record = page.html.select_one("#student-record").get_text(" ")
        enrolled_in_course = page.html.select_one(f"#enrollment-{self.enrollment.pk} .date").get_text()
        form = page.click(linkid="edit-student")

        self.assertEqual(listed, "2024-09-01")
        self.assertIn("2009-12-16", record)
        self.assertIn("2024-09-01", record)
        self.assertRegex(enrolled_in_course, r"^\d{4}-\d{2}-\d{2}$")
        for field, value in (("date_of_birth", "2009-12-16"), ("enrolled_on", "2024-09-01")):
            with self.subTest(field=field):
                box = form.html.select_one(f"#id_{field}")
                self.assertEqual((box["type"], box["value"]), ("text", value), "typed as shown, no picker's own order")
                self.assertRegex(form.html.select_one(f"#id_{field}_helptext").get_text(), r"\d{4}-\d{2}-\d{2}\.$")
        for shown in (page, form):
            self.assertNotRegex(shown.text, r"YYYY|\d{1,2}/\d{1,2}/\d{4}|[A-Z][a-z]{2}\.? \d{1,2}, \d{4}")

    def test_takes_a_date_typed_as_the_hint_shows_it(self):
        form = self.get(f"/students/{self.student.pk}/edit/").forms["student-form"]
        form["date_of_birth"] = "2010-01-31"

        form.submit().follow()

        self.student.refresh_from_db()
        self.assertEqual(self.student.date_of_birth, date(2010, 1, 31))


class TestEveryPageIsValidHtml(WebTestCase):
    """Page states the access table does not visit: forms with errors, messages, visitors' pages."""

    role = REGISTRAR

    def test_for_visitors_filling_in_the_account_forms_wrongly(self):
        for path, form_id, fields in [
            ("/accounts/signup/", "signup-form", {"username": "x", "password1": "short", "password2": "other"}),
            ("/accounts/login/?next=/students/", "login-form", {"username": "nobody"}),
            ("/accounts/password/reset/", "password-reset-form", {"email": "nope"}),
        ]:
            with self.subTest(path=path):
                page = self.get(path, user=None)
                self.assertValidHtml(page)
                form = page.forms[form_id]
                for name, value in fields.items():
                    form[name] = value
                self.assertValidHtml(form.submit())

    def test_for_the_password_rules_beside_the_new_password(self):
        page = self.get("/accounts/signup/", user=None)
        rules = page.html.select_one("#id_password1_helptext")
        self.assertEqual(rules.name, "div")
        self.assertIn("at least 8 characters", rules.text)
        self.assertEqual(page.html.select_one("#id_password1")["aria-describedby"], "id_password1_helptext")

    def test_for_a_registrar_after_saving_and_with_errors(self):
        form = self.get("/students/new/").forms["student-form"]
        self.assertValidHtml(form.submit())
        form["first_name"], form["last_name"], form["email"] = "Ada", "Lovelace", "ada@school.example"
        page = form.submit().follow()
        self.assertValidHtml(page)
        self.assertValidHtml(self.get(page.request.path + "edit/"))
        self.assertValidHtml(self.get("/courses/new/").forms["course-form"].submit())
        self.assertEqual(Student.objects.count(), 1)


class TestTheHtmlCheck(SimpleTestCase):
    """assertValidHtml itself (the problems it reads, html_problems): it must catch what it promises to catch."""

    def page(self, body):
        page = f'<!doctype html><html lang="en"><head><title>t</title></head><body>{body}</body></html>'
        return SimpleNamespace(content=page.encode(), charset="utf-8", request=SimpleNamespace(path_qs="/t"))

    def check(self, body):
        WebTestCase.assertValidHtml(self, self.page(body))

    def test_passes_a_clean_page(self):
        body = '<label for="a">A</label><input id="a" aria-describedby="h"><p id="h">Help</p><a href="#a">A</a>'
        self.assertEqual(html_problems(self.page(body)), [])

    def test_fails_each_kind_of_problem(self):
        cases = [
            ("<p><div>block in p</div></p>", "Unexpected end tag (p)"),
            ('<p id="x"></p><p id="x"></p>', "id 'x' is used 2 times"),
            ('<input aria-describedby="gone">', "names no element"),
            ('<label for="gone">A</label>', "names no element"),
            ('<a href="#gone">skip</a>', "leads nowhere"),
            ("<small><ul><li>rule</li></ul></small>", "<small> holds block content: ul"),
        ]
        for body, problem in cases:
            with self.subTest(body=body), self.assertRaisesMessage(AssertionError, problem):
                self.check(body)
