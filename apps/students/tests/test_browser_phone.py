"""The office on a phone and at the keyboard, in a real browser (headless Chromium):
what went wrong is where the eye is, the focus is always seen, print keeps what matters."""

import pytest
from django.test import tag
from model_bakery import baker
from rest_framework.authtoken.models import Token
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from apps.students.models import Enrollment, Student
from project.testing import REGISTRAR, make_user
from project.testing_browser import BACKGROUND_BEHIND, BrowserTestCase, contrast

# WCAG 2.4.13 (focus appearance): a ring at least 2 px thick, 3:1 against what it is drawn on.
MIN_RING_PX = 2
MIN_RING_CONTRAST = 3
ELEVEN_WORDS = "a b c d e f g h i j k"
# What each sort link of a table's header draws after its name (the arrow of the sorted column).
SORT_ARROWS = """return [...document.querySelectorAll("thead th a")].map((link) => [
  link.id, getComputedStyle(link, "::after").content.replace(/^(none|normal)$/, "").replace(/"/g, "").trim(),
]);"""
# A table row as a phone shows it: each cell's label (drawn before it from its data-label), text and top.
CARD_CELLS = """return [...arguments[0].cells].map((cell) => ({
  label: getComputedStyle(cell, "::before").content.replace(/^"(.*)"$/, "$1"),
  text: cell.innerText.trim(),
  top: cell.getBoundingClientRect().top,
}));"""

# The focused element: what it is, whether it can be seen where it is (not clipped away,
# nor off the side of the screen), and its focus ring with the colour around the ring
# (the parent's background when the ring is drawn outside the element).
FOCUSED = (
    BACKGROUND_BEHIND
    + """
const element = document.activeElement;
if (!element || element === document.body) return null;
const box = element.getBoundingClientRect();
const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
const style = getComputedStyle(element);
const outside = parseFloat(style.outlineOffset) > 0;
return {
  element: element.id || element.getAttribute("href") || element.name || element.tagName,
  seen: box.width > 1 && box.height > 1 && box.left >= 0 && box.right <= document.documentElement.clientWidth
    && box.top >= 0 && box.bottom <= window.innerHeight && !!hit && (hit === element || element.contains(hit)),
  ringStyle: style.outlineStyle,
  ringWidth: parseFloat(style.outlineWidth),
  ring: style.outlineColor,
  background: backgroundBehind(outside ? element.parentElement : element),
};
"""
)


@tag("browser")
class TestARegistrarOnAPhoneAndAtTheKeyboard(BrowserTestCase):
    def setUp(self):
        super().setUp()
        self.registrar = make_user(REGISTRAR)
        self.log_in_by_session(self.registrar)

    def assertFocusSeen(self, focused):
        """The focused element is on screen, with a ring thick enough and in contrast with its background."""
        self.assertTrue(focused["seen"], f"{focused} has the focus off screen or out of sight")
        self.assertNotEqual(focused["ringStyle"], "none", focused)
        self.assertGreaterEqual(focused["ringWidth"], MIN_RING_PX, focused)
        self.assertGreaterEqual(contrast(focused["ring"], focused["background"]), MIN_RING_CONTRAST, focused)

    def submit_and_look(self, form_id):
        """Submit, and note what has the focus as the answer page arrives (before
        check_page's axe-core run, which scrolls the page as it inspects it)."""
        self.wait_for_next_page(self.find(f"form#{form_id} [type=submit]").click)
        self.seen_on_arrival = self.driver.execute_script(FOCUSED)

    def test_enrolls_until_the_course_is_full_then_sees_the_refusal_at_the_top_with_the_focus_on_it(self):
        course = baker.make_recipe("students.course", code="ART140", title="Drawing", capacity=2)
        first, second, third = baker.make_recipe("students.student", _quantity=3)
        baker.make_recipe("students.enrollment", student=third)  # the page runs long on a phone
        self.use_phone_size()

        self.open("students:detail", first.pk)
        # Each fact of the record under its name, the width of the screen, not squeezed into a second column.
        label, value = self.find("#student-record dt"), self.find("#student-number")
        self.assertEqual((label.text, value.text), ("Student number", first.student_number))
        self.assertEqual(value.rect["x"], label.rect["x"])
        self.assertGreater(value.rect["y"], label.rect["y"])
        self.fill("enroll-form", course=course.pk)
        self.submit("enroll-form")
        self.assertMessageShown(f"Enrolled {first.full_name} in ART140.")
        # Buttons in the enrollment cards keep their size: not a red bar across the card.
        enrollment = Enrollment.objects.get(student=first, course=course)
        unenroll, card = self.find("#unenroll-ART140").rect, self.find(f"#enrollment-{enrollment.pk}").rect
        self.assertLess(unenroll["width"], card["width"] / 2, "not a bar across the card")
        self.assertGreaterEqual(unenroll["height"], 40, "as tall as the other buttons")
        enroll_button = self.find("form#enroll-form [type=submit]")
        self.assertNotEqual(
            self.looks(self.find("#unenroll-ART140"))["background"],
            self.looks(enroll_button)["background"],
            "Unenroll, which takes a student off a course, looks unlike Enroll",
        )

        # The last seat goes to someone else while this page is open.
        self.open("students:detail", third.pk)
        self.wait_for_text("ART140 — Drawing (1 seat left)", "#enroll-form")
        menu_before = self.looks(self.find("#id_course"))
        self.fill("enroll-form", course=course.pk)
        Enrollment.objects.create(student=second, course=course)
        self.submit_and_look("enroll-form")

        self.wait_for_text("Course: ART140 is full", "#error-summary")
        self.assertEqual(self.driver.switch_to.active_element.get_attribute("id"), "error-summary")
        self.assertFocusSeen(self.seen_on_arrival)
        self.check_page()
        self.assertTrue(self.driver.title.startswith("Error: "))
        self.assertFieldErrorShown("enroll-form", "course", "ART140 is full")
        # The error and the menu it is about are marked in the colour of a problem.
        error = self.looks(self.find("#errors-course"))
        self.assertNotEqual(error["text"], self.looks(self.find("label[for=id_course]"))["text"])
        self.assertEqual(self.looks(self.find("#id_course"))["border"], error["text"])
        self.assertNotEqual(menu_before["border"], error["text"])
        self.assertEqual(self.messages(), [], "the error shows once, beside the menu")
        full = self.find(f"#id_course option[value='{course.pk}']")
        self.assertEqual((full.text, full.get_attribute("disabled")), ("ART140 — Drawing (full)", "true"))
        self.assertNotShown("#unenroll-ART140")
        self.assertEqual(
            set(Enrollment.objects.filter(course=course).values_list("student", flat=True)), {first.pk, second.pk}
        )
        self.assertEqual(third.enrollments.count(), 1)

        self.submit("enroll-form")  # nothing chosen: the site's own error, not the browser's bubble

        self.wait_for_text("Course: Choose a course.", "#error-summary")
        self.assertEqual(self.driver.switch_to.active_element.get_attribute("id"), "error-summary")
        self.assertPath("students:enroll", third.pk)
        self.assertEqual(third.enrollments.count(), 1)
        self.open("courses:detail", course.pk)
        self.assertEqual(self.find("#seats-left").text, "0")
        self.assertEqual(len(self.find_all("#roster-table tbody tr")), 2)

    def test_tabs_through_the_student_list_with_the_focus_always_seen(self):
        baker.make_recipe("students.student", _quantity=2)
        focused_at = {}
        for size in ("phone", "desktop"):
            if size == "phone":
                self.use_phone_size()
            else:
                self.driver.set_window_size(1280, 1024)
            self.open("students:list")
            skip_link = self.find(".skip-link").rect
            self.assertLessEqual(skip_link["y"] + skip_link["height"], 0, "off screen until it has the focus")
            focused_at[size] = []
            for _ in range(40):
                ActionChains(self.driver).send_keys(Keys.TAB).perform()
                focused = self.driver.execute_script(FOCUSED)
                if focused is None or focused["element"] in focused_at[size]:
                    break  # round the page and back to the start
                focused_at[size].append(focused["element"])
                with self.subTest(size=size, element=focused["element"]):
                    self.assertFocusSeen(focused)
            else:
                self.fail(f"the focus never came round on the {size}'s student list")

        self.assertEqual(focused_at["phone"][0], "#main", "the skip link comes first")
        sort_links = {"sort-student_number", "sort-last_name", "sort-status", "sort-enrolled_on"}
        self.assertEqual(sort_links & set(focused_at["phone"]), set(), "the hidden header's links")
        self.assertEqual(sort_links & set(focused_at["desktop"]), sort_links, "shown at 1280, so they take focus")
        self.assertIn("id_q", focused_at["phone"])

        # At 1280 the sorted column's header shows which way it is sorted.
        arrows = self.driver.execute_script(SORT_ARROWS)
        self.assertEqual(dict(arrows), {link: "▲" if link == "sort-last_name" else "" for link in sort_links})

    def test_prints_the_filters_and_the_page_and_leaves_out_the_empty_enroll_section(self):
        baker.make_recipe("students.student", last_name="Pupil", _quantity=27)
        student = baker.make_recipe("students.student", last_name="Pupil")
        self.open("/students/?q=pupil&status=active&page=2")
        self.assertFalse(self.find("#print-filters").is_displayed(), "on screen the form shows them")
        self.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        self.addCleanup(self.driver.execute_cdp_cmd, "Emulation.setEmulatedMedia", {"media": ""})

        self.assertTrue(self.find("#print-filters").is_displayed())
        self.assertEqual(
            self.find("#print-filters").text, "Search: pupil · Status: Active · Sorted by: Last name, A to Z"
        )
        self.assertEqual(self.find("#result-count").text, "Showing 26\u201328 of 28 students found.")
        self.assertFalse(self.find("#student-search-form").is_displayed())
        self.assertFalse(self.find("#pagination").is_displayed())

        self.open("students:detail", student.pk)

        self.assertFalse(self.find("#enroll-heading").is_displayed())
        self.assertTrue(self.find("#no-enrollments").is_displayed())

    def test_finds_the_pages_no_journey_opens_usable_on_a_phone(self):
        """The pages no other journey of `make test` opens, at 390 px: each checked by axe-core and
        for sideways scrolling (check_page). Buttons, badges and the token keep their shape.
        (The tours at both widths, with screenshots, are `make test-deep`'s.)"""
        busy = baker.make_recipe("students.course", code="ART140", title="Drawing and Painting", capacity=1)
        enrollment = baker.make_recipe("students.enrollment", course=busy, student__last_name="Ångström-Gutiérrez")
        Token.objects.create(user=self.registrar)
        self.use_phone_size()

        self.open(f"/students/?q={ELEVEN_WORDS.replace(' ', '+')}")
        self.find("#errors-q")
        self.open("students:unenroll", enrollment.student.pk, enrollment.pk)
        self.find("#unenroll-form")
        self.open("courses:list")
        badge = self.find(".badge-full")
        self.assertEqual(self.driver.execute_script("return arguments[0].getClientRects().length;", badge), 1)
        self.assertLess(badge.rect["width"], 80)
        # A card per course: its cells one under another, each led by its column's name.
        columns = [th.get_attribute("textContent") for th in self.find_all("#course-table thead th")]
        cells = self.driver.execute_script(CARD_CELLS, self.find(f"#course-{busy.pk}"))
        self.assertEqual([cell["label"] for cell in cells], columns)
        self.assertEqual([cell["text"] for cell in cells][:2], ["ART140", "Drawing and Painting"])
        tops = [cell["top"] for cell in cells]
        self.assertEqual(tops, sorted(set(tops)), "stacked, not side by side")
        self.open("courses:delete", busy.pk)
        self.find("#see-roster")
        self.assertNotShown("#delete-course-form")
        self.open("accounts:profile")
        token = self.find("#api-token")
        boxes = self.driver.execute_script("return arguments[0].getClientRects().length;", token)
        self.assertEqual(boxes, 1, "one bordered box, even when the token wraps")
        self.assertGreater(token.rect["height"], 40, "the 40 characters wrap at 390 px")
        self.open("students:create")
        self.submit("student-form")  # empty: every required field missing
        self.assertEqual(self.driver.switch_to.active_element.get_attribute("id"), "error-summary")
        self.open("api-docs")
        self.find("#back-to-site")
        self.assertEqual(Enrollment.objects.count(), 1)

        # The form's address opened as a page; an edit saved after a colleague deleted the record.
        self.open("students:enroll", enrollment.student.pk)
        self.find("#form-page-link")
        gone = baker.make_recipe("students.student", last_name="Gone")
        self.open("students:update", gone.pk)
        Student.objects.filter(pk=gone.pk).delete()
        self.submit("student-form")
        self.wait_for_text("This student no longer exists", "h1")
        self.assertEqual(self.value_of("student-form", "last_name"), "Gone")

    @pytest.mark.deep
    def test_finds_the_changed_student_and_course_pages_usable_at_both_widths(self):
        """Screenshots of the pages this work changed, at 1280 and 390 px, each checked
        by axe-core and for sideways scrolling on the way (BrowserTestCase.check_page)."""
        busy = baker.make_recipe("students.course", code="ART140", title="Drawing and Painting", capacity=1)
        enrollment = baker.make_recipe("students.enrollment", course=busy, student__last_name="Ångström-Gutiérrez")
        baker.make_recipe("students.course", code="BIO110", title="Biology")
        choir = baker.make_recipe("students.course", code="MUS120", title="Choir", capacity=1)
        Token.objects.create(user=make_user(REGISTRAR, username="tokenholder"))
        student = enrollment.student
        pages = [
            ("student-list-search", f"/students/?q={student.last_name}", "#result-count"),
            ("student-list-search-error", f"/students/?q={ELEVEN_WORDS.replace(' ', '+')}", "#errors-q"),
            ("student-enrollments", f"/students/{student.pk}/", "#unenroll-ART140"),
            ("course-list-full", "/courses/", ".badge-full"),
            ("course-in-use", f"/courses/{busy.pk}/", "#course-in-use"),
            ("course-cannot-delete", f"/courses/{busy.pk}/delete/", "#see-roster"),
            ("api-docs", "/api/docs/", "#back-to-site"),
        ]
        for size in ("desktop", "phone"):
            if size == "phone":
                self.use_phone_size()
            for name, path, shown in pages:
                with self.subTest(size=size, page=name):
                    self.open(path)
                    self.find(shown)
                    self.driver.execute_script("window.scrollTo(0, 0);")  # axe may have scrolled
                    self.screenshot(name)
            # The last seat of MUS120 goes to someone else while the enroll form is open.
            Enrollment.objects.filter(course=choir).delete()
            self.open("students:detail", student.pk)
            self.fill("enroll-form", course=choir.pk)
            baker.make_recipe("students.enrollment", course=choir)
            self.submit_and_look("enroll-form")
            self.wait_for_text("Course: MUS120 is full", "#error-summary")
            self.assertEqual(self.seen_on_arrival["element"], "error-summary")
            self.screenshot("student-enroll-refused")
        # On the phone: buttons and badges in cards keep their size; the card has no hidden header.
        self.open("students:detail", student.pk)
        unenroll, card = self.find("#unenroll-ART140").rect, self.find(f"#enrollment-{enrollment.pk}").rect
        self.assertLess(unenroll["width"], card["width"] / 2, "not a bar across the card")
        self.assertGreaterEqual(unenroll["height"], 40, "as tall as the other buttons")
        self.open("courses:list")
        badge = self.find(".badge-full")
        self.assertEqual(self.driver.execute_script("return arguments[0].getClientRects().length;", badge), 1)
        self.assertLess(badge.rect["width"], 80)
        self.assertEqual(Enrollment.objects.filter(student=student).count(), 1, "the refused enrollment not made")

    @pytest.mark.deep
    def test_sees_the_whole_api_token_inside_one_box_on_a_phone(self):
        user = make_user(REGISTRAR)
        Token.objects.create(user=user)
        self.driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
        self.log_in_by_session(user)
        for size in ("desktop", "phone"):
            if size == "phone":
                self.use_phone_size()
            self.open("accounts:profile")
            token = self.find("#api-token")
            self.screenshot("profile-token")

            boxes = self.driver.execute_script("return arguments[0].getClientRects().length;", token)
            self.assertEqual(boxes, 1, f"one bordered box on the {size}, even when the token wraps")
        self.assertGreater(token.rect["height"], 40, "the 40 characters wrap at 390 px")
