"""A search holds at most 10 words, on the list, the export and the API alike."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.students.filters import MAX_SEARCH_WORDS
from apps.students.tests.test_list import found
from project.testing import VIEWER, given
from project.testing_web import ApiTestCase

TEN_WORDS = "ada lovelace ada lovelace ada lovelace ada lovelace ada lovelace"
ELEVEN_WORDS = TEN_WORDS + " ada"
TOO_MANY = "Search for at most 10 words (this search has 11)."


class TestAViewerSearchingWithManyWords(ApiTestCase):
    role = VIEWER
    ada = given("students.student", first_name="Ada", last_name="Lovelace")
    grace = given("students.student", first_name="Grace", last_name="Hopper")

    def search_on_the_list(self, words):
        form = self.get(reverse("students:list")).forms["student-search-form"]
        form["q"] = words
        return form.submit()

    def test_finds_students_with_ten_words(self):
        self.assertEqual(len(TEN_WORDS.split()), MAX_SEARCH_WORDS)
        page = self.search_on_the_list(TEN_WORDS)

        self.assertEqual(found(page), ["Lovelace, Ada"])
        self.assertIsNone(page.html.select_one("#errors-q"))
        self.assertEqual(page.html.select_one("title").get_text(), "Students · Student Records")

    def test_is_told_above_the_search_box_that_eleven_words_are_too_many(self):
        page = self.search_on_the_list(ELEVEN_WORDS)

        self.assertFieldError(page, "student-search-form", "q", TOO_MANY)
        errors = page.html.select_one("#errors-q")
        self.assertEqual(
            [tag["id"] for tag in errors.find_next_siblings()], ["id_q"], "the error comes before the box"
        )
        box = page.html.select_one("#id_q")
        self.assertEqual((box["aria-invalid"], box["aria-describedby"]), ("true", "id_q_helptext id_q_error"))
        self.assertEqual(page.html.select_one("#id_q_error").get_text(), TOO_MANY)
        self.assertEqual(page.forms["student-search-form"]["q"].value, ELEVEN_WORDS)
        self.assertEqual(found(page), [])
        self.assertIsNone(page.html.select_one("#result-count"), "no count for a search that did not run")
        self.assertIsNone(page.html.select_one("#export-csv"), "no export of a search that did not run")
        self.assertIsNone(page.html.select_one("#no-students"))
        self.assertTrue(page.html.select_one("title").get_text().startswith("Error: Students"))
        self.assertValidHtml(page)

    def test_gets_no_export_for_eleven_words(self):
        response = self.get(reverse("students:export"), params={"q": ELEVEN_WORDS}, status=400)

        self.assertEqual(response.content_type, "text/plain")
        self.assertEqual(response.text, f"No export: {TOO_MANY}")

    def test_gets_no_export_naming_everything_wrong_with_the_search(self):
        words = " ".join(["lovelace"] * 25)  # 224 characters
        response = self.get(reverse("students:export"), params={"q": words}, status=400)

        self.assertEqual(
            response.text,
            "No export: Search for at most 10 words (this search has 25). "
            "Ensure this value has at most 200 characters (it has 224).",
        )

    def test_exports_with_ten_words(self):
        response = self.get(reverse("students:export"), params={"q": TEN_WORDS})

        self.assertEqual(response.content_type, "text/csv")
        self.assertEqual(len(response.text.splitlines()), 2)
        self.assertIn("Lovelace", response.text)

    def test_gets_a_400_naming_the_search_from_the_api(self):
        response = self.api_get(reverse("api:student-list"), params={"q": ELEVEN_WORDS}, status=400)

        self.assertApiError(response, 400, {"q": [TOO_MANY]})

    def test_finds_students_with_ten_words_through_the_api(self):
        response = self.api_get(reverse("api:student-list"), params={"q": TEN_WORDS})

        self.assertEqual([student["id"] for student in response.json["results"]], [self.ada.pk])

    def test_pays_for_ten_words_with_the_same_queries_as_for_one(self):
        """Each word is one more condition in the same query, never a query of its own."""
        counts = []
        for words in ("ada", TEN_WORDS):
            self.api_get(reverse("api:student-list"), params={"q": words})  # warm-up
            with CaptureQueriesContext(connection) as queries:
                self.api_get(reverse("api:student-list"), params={"q": words})
            counts.append(len(queries))
        self.assertEqual(counts[0], counts[1])
