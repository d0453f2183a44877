from datetime import date

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase

from apps.students import rules
from project.testing import on_day
from project.validators import validate_multiline, validate_single_line

TODAY = date(2024, 6, 15)


class TestTheDateOfBirthRule(SimpleTestCase):
    def assertRefused(self, value, message):
        with self.assertRaisesMessage(ValidationError, message):
            rules.validate_date_of_birth(value)

    def test_accepts_today_and_every_day_up_to_exactly_120_years_ago(self):
        with on_day(TODAY):
            for value in (TODAY, date(2008, 2, 29), date(1904, 6, 15)):
                with self.subTest(value=value):
                    self.assertIsNone(rules.validate_date_of_birth(value))

    def test_refuses_a_day_in_the_future(self):
        with on_day(TODAY):
            self.assertRefused(date(2024, 6, 16), "Date of birth cannot be in the future.")

    def test_refuses_a_day_more_than_120_years_ago(self):
        with on_day(TODAY):
            self.assertRefused(date(1904, 6, 14), "Date of birth cannot be more than 120 years ago.")

    def test_on_29_february_counts_back_to_28_february_when_that_year_had_no_leap_day(self):
        # 1900 was not a leap year, so "120 years before 2020-02-29" is 1900-02-28.
        with on_day(date(2020, 2, 29)):
            self.assertIsNone(rules.validate_date_of_birth(date(1900, 2, 28)))
            self.assertRefused(date(1900, 2, 27), "more than 120 years ago")


class TestCourseCodes(SimpleTestCase):
    def test_are_folded_trimmed_and_upper_cased(self):
        for typed, stored in [("  bio110 ", "BIO110"), ("\uff2d\uff21\uff34\uff28101", "MATH101"), ("éco-2", "ÉCO-2")]:
            with self.subTest(typed=typed):
                self.assertEqual(rules.normalise_course_code(typed), stored)
                self.assertIsNone(rules.validate_course_code(typed))

    def test_refuse_anything_but_letters_digits_and_hyphens(self):
        for typed in ("M", "MATH 101", "MATH_101", "MATH\n101", "MA\u202eTH", 'MATH"101', "MATH;101"):
            with self.subTest(typed=typed), self.assertRaisesMessage(ValidationError, rules.COURSE_CODE_MESSAGE):
                rules.validate_course_code(typed)


class TestTheTextRules(SimpleTestCase):
    ONE_LINE = "Use one line of plain text: no line breaks, tabs or invisible control characters."
    NO_CONTROLS = "Remove the invisible control characters (such as text-direction overrides)."

    def test_let_names_in_any_script_through(self):
        # The Persian name holds a zero-width non-joiner, the student emoji a zero-width joiner.
        for text in ("Zoë", "Ødegård-李", "O'Brien", "Anne-Marie", "🎓", "رحیمی\u200cنژاد", "👩\u200d🎓"):  # noqa: RUF001 - Persian
            with self.subTest(text=text):
                self.assertIsNone(validate_single_line(text))
                self.assertIsNone(validate_multiline(text))

    def test_refuse_line_breaks_tabs_controls_and_direction_overrides_in_one_line(self):
        controls = ("Ada\nLovelace", "Ada\tL", "Ada\x1b", "evil\u202egpj.exe", "Ada\u2066", "Ada\u200f", "A\u2028B")
        # A zero-width space, a byte-order mark, a soft hyphen, a word joiner, a tag letter: invisible.
        invisible = ("Ada\u200bLovelace", "\ufeffAda", "Love\u00adlace", "Ada\u2060", "Ada\U000e0041")
        for text in controls + invisible:
            with self.subTest(text=text), self.assertRaisesMessage(ValidationError, self.ONE_LINE):
                validate_single_line(text)

    def test_let_notes_hold_line_breaks_and_tabs_but_no_other_controls(self):
        self.assertIsNone(validate_multiline("First line\r\nSecond\tline"))
        for text in ("Note\u202e", "Note\x07", "Note\u2067"):
            with self.subTest(text=text), self.assertRaisesMessage(ValidationError, self.NO_CONTROLS):
                validate_multiline(text)
