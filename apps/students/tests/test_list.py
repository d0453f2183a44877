from datetime import date
from urllib.parse import parse_qs, urlsplit

from model_bakery import baker

from apps.students.models import Student
from project.testing import VIEWER, given
from project.testing_web import WebTestCase


def names_on(page):
    return [row.a.text for row in page.html.select("#student-table tbody tr")]


def found(page):
    """Who is listed, whatever the order."""
    return sorted(names_on(page))


def query_of(href):
    return parse_qs(urlsplit(href).query)


class TestSearchingAndFilteringTheStudentList(WebTestCase):
    role = VIEWER
    ada = given("students.student", first_name="Ada", last_name="Lovelace", email="ada@engines.example")
    grace = given(
        "students.student", first_name="Grace", last_name="Hopper", email="grace@navy.example", status="graduated"
    )
    alan = given(
        "students.student", first_name="Alan", last_name="Turing", email="alan@bletchley.example", status="withdrawn"
    )
    zoe = given("students.student", first_name="Zoë", last_name="Ångström", email="zoe@physics.example")
    math = given("students.course", code="MATH101")
    bio = given("students.course", code="BIO110")
    ada_in_math = given("students.enrollment", student=ada, course=math)
    alan_in_math = given("students.enrollment", student=alan, course=math)
    alan_in_bio = given("students.enrollment", student=alan, course=bio)
    grace_in_bio = given("students.enrollment", student=grace, course=bio)

    def search(self, **fields):
        """Fill in the search form on the list page (opened once per test) and submit it."""
        if not hasattr(self, "search_form"):
            self.search_form = self.get("/students/").forms["student-search-form"]
        for field, value in {"q": "", "status": "", "course": "", **fields}.items():
            self.search_form[field] = value
        return self.search_form.submit()

    def test_lists_everyone_by_last_name_with_a_count(self):
        page = self.get("/").follow()
        self.assertEqual(names_on(page), ["Ångström, Zoë", "Hopper, Grace", "Lovelace, Ada", "Turing, Alan"])
        self.assertEqual(page.html.select_one("#result-count").text, "4 students found.")
        self.assertIsNone(page.html.select_one("#pagination"))
        self.assertEqual(Student.objects.count(), 4)

    def test_shows_each_students_number_email_status_and_first_day_beside_their_name(self):
        page = self.get("/students/")
        row = page.html.select_one(f"#student-{self.grace.pk}")
        self.assertEqual(
            [cell.get_text(strip=True) for cell in row.select("td")],
            [
                self.grace.student_number,
                "Hopper, Grace",
                "grace@navy.example",
                "Graduated",
                self.grace.enrolled_on.strftime("%Y-%m-%d"),
            ],
        )

    def test_finds_students_by_name_email_or_student_number(self):
        cases = [
            ("ada", ["Lovelace, Ada"]),  # first name, any case
            ("HOPPER", ["Hopper, Grace"]),  # last name
            ("ngstr", ["Ångström, Zoë"]),  # part of a name
            ("bletchley.example", ["Turing, Alan"]),  # email
            (self.grace.student_number.lower(), ["Hopper, Grace"]),  # student number
            ("  ada   lovelace ", ["Lovelace, Ada"]),  # several words: each must match
            ("ada turing", []),
            ("ace", ["Hopper, Grace", "Lovelace, Ada"]),  # matches in two people
        ]
        for query, expected in cases:
            with self.subTest(q=query):
                page = self.search(q=query)
                self.assertEqual(found(page), expected)
                self.assertEqual(page.forms["student-search-form"]["q"].value, query)

    def test_finds_names_whatever_the_letter_case_and_accents_in_any_script(self):
        """The rule: "ångström", "ÅNGSTRÖM" and "angstrom" all find "Ångström", on SQLite as on PostgreSQL."""
        greek = baker.make_recipe("students.student", first_name="Σωκράτης", last_name="Παπαδόπουλος")
        cyrillic = baker.make_recipe("students.student", first_name="Łukasz", last_name="Ёлкин")
        cases = [
            ("ångström", ["Ångström, Zoë"]),
            ("ÅNGSTRÖM", ["Ångström, Zoë"]),
            ("angstrom", ["Ångström, Zoë"]),
            ("ANGSTRÖM zoe", ["Ångström, Zoë"]),
            ("ZOË", ["Ångström, Zoë"]),
            ("ΣΩΚΡΆΤΗΣ", ["Παπαδόπουλος, Σωκράτης"]),
            ("παπαδοπουλος", ["Παπαδόπουλος, Σωκράτης"]),
            ("ЁЛКИН", ["Ёлкин, Łukasz"]),
            ("елкин", ["Ёлкин, Łukasz"]),
            ("ŁUKASZ", ["Ёлкин, Łukasz"]),
            ("LOVELACE", ["Lovelace, Ada"]),
            # Letters Unicode does not split into a letter and an accent, read as people type them,
            # and either apostrophe.
            ("YILMAZ", ["Yılmaz, Søren"]),
            ("soren", ["Yılmaz, Søren"]),
            ("lukasz", ["Ёлкин, Łukasz"]),
            ("o'brien", ["O’Brien, Đorđe"]),
            ("dorde o’brien", ["O’Brien, Đorđe"]),
        ]
        baker.make_recipe("students.student", first_name="Søren", last_name="Yılmaz", email="s@school.example")
        baker.make_recipe("students.student", first_name="Đorđe", last_name="O’Brien", email="d@school.example")
        for query, expected in cases:
            with self.subTest(q=query):
                self.assertEqual(found(self.search(q=query)), expected)
        self.assertEqual(Student.objects.filter(pk__in=[greek.pk, cyrillic.pk]).count(), 2)

    def test_finds_a_student_number_with_or_without_the_s_and_the_zeros_and_nothing_else_by_number(self):
        """The rule: `21`, `000021`, `s21` and `S000021` all find S000021 and nothing else by number."""
        # Numbers above every id in use, so they cannot clash with a student's own, and in
        # nobody's email: a bare number also searches the emails (e.g. student126@...).
        n = Student.objects.order_by("-pk").first().pk + 21
        while Student.objects.filter(email__contains=str(n)).exists():
            n += 1
        lookalikes = (n * 10, n * 100, int(f"1{n}"), int(f"{n}1"))
        for number, name in zip((n, *lookalikes), ("Target", "Ten", "Hundred", "Before", "After"), strict=True):
            student = baker.make_recipe(
                "students.student", first_name="Number", last_name=name, email=f"number.{name.lower()}@school.example"
            )
            Student.objects.filter(pk=student.pk).update(student_number=Student.number_for(number))
        typed = (str(n), f"{n:06d}", f"s{n}", f"S{n:06d}", f"s{n:06d}", f"{n:08d}")
        full_width = tuple(
            "".join(chr(ord(char) + 0xFEE0) for char in query) for query in typed[2:4]
        )  # as a Japanese keyboard types them
        for query in typed + full_width:
            with self.subTest(q=query):
                self.assertEqual(found(self.search(q=query)), ["Target, Number"])
        for query in (f"S{n}x", f"{n}.0", f"S-{n}", f"SS{n}"):
            with self.subTest(q=query):
                self.assertEqual(found(self.search(q=query)), [])

    def test_finds_a_bare_number_in_emails_too_beside_the_student_with_that_number(self):
        n = Student.objects.order_by("-pk").first().pk + 21  # above every id in use
        while Student.objects.filter(email__contains=str(n)).exists():
            n += 1
        holder = baker.make_recipe("students.student", first_name="Number", last_name="Holder")
        Student.objects.filter(pk=holder.pk).update(student_number=Student.number_for(n))
        baker.make_recipe("students.student", first_name="Email", last_name="Writer", email=f"room{n}@school.example")
        self.assertEqual(found(self.search(q=str(n))), ["Holder, Number", "Writer, Email"])

    def test_says_so_when_nobody_matches(self):
        page = self.search(q="nobody")
        self.assertEqual(page.html.select_one("#result-count").text, "0 students found.")
        self.assertContains(page, "No students match.")

    def test_shows_what_the_search_box_takes_beside_it_not_only_in_a_placeholder(self):
        page = self.get("/students/")

        hint = page.html.select_one("#id_q_helptext")
        self.assertEqual(hint.get_text(), "Name, email or student number. Up to 10 words.")
        box = page.html.select_one("#id_q")
        self.assertEqual((box["type"], box["aria-describedby"]), ("search", "id_q_helptext"))
        self.assertNotIn("placeholder", box.attrs)
        self.assertIn("novalidate", page.html.select_one("#student-search-form").attrs)

    def test_says_in_print_which_filters_and_order_the_list_shows(self):
        page = self.search(q="a", status="active", course="MATH101")

        self.assertEqual(
            page.html.select_one("#print-filters").get_text(),
            "Search: a · Course: MATH101 · Status: Active · Sorted by: Last name, A to Z",
        )
        self.assertEqual(page.html.select_one("#print-filters")["class"], ["print-only"])
        self.assertEqual(
            self.get("/students/").html.select_one("#print-filters").get_text(), "Sorted by: Last name, A to Z"
        )

    def test_counts_a_single_student_in_the_singular(self):
        page = self.search(q="grace")
        self.assertEqual(page.html.select_one("#result-count").text, "1 student found.")

    def test_filters_by_status(self):
        for status, expected in [
            ("active", ["Lovelace, Ada", "Ångström, Zoë"]),
            ("graduated", ["Hopper, Grace"]),
            ("withdrawn", ["Turing, Alan"]),
            ("", ["Hopper, Grace", "Lovelace, Ada", "Turing, Alan", "Ångström, Zoë"]),
        ]:
            with self.subTest(status=status):
                page = self.search(status=status)
                self.assertEqual(found(page), expected)
                self.assertEqual(page.forms["student-search-form"]["status"].value, status)

    def test_offers_each_course_by_code_and_title(self):
        options = [option.text for option in self.get("/students/").html.select("#id_course option")]
        self.assertEqual(
            options, ["Any course", "BIO110 — Introduction to Algebra", "MATH101 — Introduction to Algebra"]
        )

    def test_finds_its_way_back_from_a_student_with_the_filters_kept(self):
        page = self.get("/students/", params={"q": "a", "course": "MATH101", "sort": "-last_name"})
        self.assertEqual(names_on(page), ["Turing, Alan", "Lovelace, Ada"])

        page = page.click("Lovelace, Ada")
        self.assertContains(page, "<h1>Ada Lovelace</h1>", html=True)
        page = page.click(linkid="back-to-students")
        self.assertEqual(query_of(page.request.url), {"q": ["a"], "course": ["MATH101"], "sort": ["-last_name"]})
        self.assertEqual(names_on(page), ["Turing, Alan", "Lovelace, Ada"])
        self.assertEqual(page.forms["student-search-form"]["q"].value, "a")

    def test_filters_by_course_code_in_any_letter_case(self):
        for code in ("MATH101", "math101", " Math101 "):
            with self.subTest(course=code):
                page = self.get("/students/", params={"course": code})
                self.assertEqual(found(page), ["Lovelace, Ada", "Turing, Alan"])
                self.assertEqual(page.forms["student-search-form"]["course"].value, "MATH101")
        self.assertEqual(found(self.get("/students/?course=NOPE")), [])

    def test_combines_search_status_and_course(self):
        page = self.search(q="a", status="withdrawn", course="BIO110")
        self.assertEqual(found(page), ["Turing, Alan"])
        self.assertEqual(query_of(page.request.url)["course"], ["BIO110"])

    def test_ignores_a_status_that_does_not_exist(self):
        page = self.get("/students/?status=expelled")
        self.assertEqual(len(found(page)), 4)


class TestSortingTheStudentList(WebTestCase):
    role = VIEWER

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for first, last, enrolled_on in [
            ("Cleo", "Baker", date(2023, 9, 1)),
            ("Abe", "Carter", date(2024, 9, 1)),
            ("Bea", "Adams", date(2022, 9, 1)),
        ]:
            baker.make_recipe("students.student", first_name=first, last_name=last, enrolled_on=enrolled_on)

    def test_orders_by_each_sort_the_menu_offers(self):
        by_last = ["Adams, Bea", "Baker, Cleo", "Carter, Abe"]
        cases = [
            ("last_name", by_last),
            ("-last_name", by_last[::-1]),
            ("first_name", ["Carter, Abe", "Adams, Bea", "Baker, Cleo"]),
            ("-first_name", ["Baker, Cleo", "Adams, Bea", "Carter, Abe"]),
            ("enrolled_on", ["Adams, Bea", "Baker, Cleo", "Carter, Abe"]),
            ("-enrolled_on", ["Carter, Abe", "Baker, Cleo", "Adams, Bea"]),
            ("student_number", ["Baker, Cleo", "Carter, Abe", "Adams, Bea"]),
            ("-student_number", ["Adams, Bea", "Carter, Abe", "Baker, Cleo"]),
        ]
        form = self.get("/students/").forms["student-search-form"]
        self.assertEqual([value for value, *_ in form["sort"].options][: len(cases)], [sort for sort, _ in cases])
        for sort, expected in cases:
            with self.subTest(sort=sort):
                form["sort"] = sort
                page = form.submit()
                self.assertEqual(names_on(page), expected)
                self.assertEqual(page.forms["student-search-form"]["sort"].value, sort)

    def test_orders_names_as_the_alphabet_does_whatever_their_case_or_accents(self):
        Student.objects.all().delete()
        for first, last in [
            ("Émile", "Zola"),
            ("Hugo", "de Vries"),
            ("ada", "Ökafor"),
            ("Bo", "Åberg"),
            ("Zoë", "Łukasz"),
            ("Ola", "Øye"),
            ("Ann", "O’Brien"),
            ("Cy", "Van Dijk"),
            ("Cy", "van Dijk"),  # small letters first, as PostgreSQL's collations put them
        ]:
            baker.make_recipe("students.student", first_name=first, last_name=last)
        by_last = [
            "Åberg, Bo",
            "de Vries, Hugo",
            "Łukasz, Zoë",
            "O’Brien, Ann",
            "Ökafor, ada",
            "Øye, Ola",
            "van Dijk, Cy",
            "Van Dijk, Cy",
            "Zola, Émile",
        ]

        self.assertEqual(names_on(self.get("/students/")), by_last)
        self.assertEqual(names_on(self.get("/students/?sort=-last_name")), by_last[::-1])
        by_first = [
            "Ökafor, ada",
            "O’Brien, Ann",
            "Åberg, Bo",
            "van Dijk, Cy",
            "Van Dijk, Cy",
            "Zola, Émile",
            "de Vries, Hugo",
            "Øye, Ola",
            "Łukasz, Zoë",
        ]
        self.assertEqual(names_on(self.get("/students/?sort=first_name")), by_first)
        self.assertEqual(Student.objects.count(), 9)

    def test_orders_by_status_then_name(self):
        Student.objects.filter(last_name="Carter").update(status="graduated")
        self.assertEqual(names_on(self.get("/students/?sort=status")), ["Adams, Bea", "Baker, Cleo", "Carter, Abe"])
        self.assertEqual(names_on(self.get("/students/?sort=-status")), ["Carter, Abe", "Adams, Bea", "Baker, Cleo"])

    def test_reads_each_sort_in_words(self):
        page = self.get("/students/")
        labels = {option["value"]: option.text for option in page.html.select("#id_sort option")}
        self.assertEqual(len(labels), 10)
        self.assertEqual(labels["last_name"], "Last name, A to Z")
        self.assertEqual(labels["-enrolled_on"], "Enrolled on, newest first")
        self.assertEqual(labels["-student_number"], "Student number, highest first")

    def test_sorts_by_a_column_heading_and_back_again_with_the_sorted_one_marked(self):
        page = self.get("/students/", params={"q": "a", "page": "1"})
        headings = page.html.select("#student-table th")
        self.assertEqual([th.text for th in headings], ["Number", "Name", "Email", "Status", "Enrolled on"])
        self.assertEqual([th.get("aria-sort") for th in headings], [None, "ascending", None, None, None])
        self.assertIsNone(headings[2].a, "Email does not sort")

        page = page.click(linkid="sort-enrolled_on")
        self.assertEqual(query_of(page.request.url), {"q": ["a"], "sort": ["enrolled_on"]}, "back to page 1")
        self.assertEqual(names_on(page), ["Adams, Bea", "Baker, Cleo", "Carter, Abe"])
        self.assertEqual(page.html.select_one("th[aria-sort]").text, "Enrolled on")
        self.assertEqual(page.html.select_one("th[aria-sort]")["aria-sort"], "ascending")
        self.assertEqual(page.forms["student-search-form"]["sort"].value, "enrolled_on")

        page = page.click(linkid="sort-enrolled_on")
        self.assertEqual(query_of(page.request.url)["sort"], ["-enrolled_on"])
        self.assertEqual(names_on(page), ["Carter, Abe", "Baker, Cleo", "Adams, Bea"])
        self.assertEqual(page.html.select_one("th[aria-sort]")["aria-sort"], "descending")

        page = page.click(linkid="sort-enrolled_on")
        self.assertEqual(query_of(page.request.url)["sort"], ["enrolled_on"])
        self.assertEqual(Student.objects.count(), 3)

    def test_clears_every_filter_with_one_link(self):
        self.assertIsNone(self.get("/students/").html.select_one("#clear-filters"))
        for name, value in [("q", "zzz"), ("status", "graduated"), ("course", "math101"), ("sort", "-last_name")]:
            with self.subTest(name):
                self.assertIsNotNone(self.get("/students/", params={name: value}).html.select_one("#clear-filters"))
        page = self.get("/students/", params={"q": "zzz", "sort": "-last_name"})
        self.assertEqual(names_on(page), [])

        page = page.click(linkid="clear-filters")
        self.assertEqual(page.request.url, "http://testserver/students/")
        self.assertEqual(names_on(page), ["Adams, Bea", "Baker, Cleo", "Carter, Abe"])
        self.assertEqual(page.forms["student-search-form"]["q"].value, "")

    def test_falls_back_to_last_name_for_a_sort_it_does_not_know(self):
        for sort in ("password", "-id", "", "last_name;drop"):
            with self.subTest(sort=sort):
                page = self.get("/students/", params={"sort": sort})
                self.assertEqual(names_on(page), ["Adams, Bea", "Baker, Cleo", "Carter, Abe"])
                self.assertEqual(page.forms["student-search-form"]["sort"].value, "last_name")


class TestAnEmptyStudentList(WebTestCase):
    role = VIEWER
    course = given("students.course", code="MATH101")  # with nobody enrolled

    def test_says_there_are_no_students_yet_and_counts_no_search_that_never_ran(self):
        page = self.get("/students/")

        self.assertEqual(page.html.select_one("#no-students").get_text(), "No students yet.")
        self.assertIsNone(page.html.select_one("#result-count"))
        self.assertNotContains(page, "0 students found")
        self.assertNotContains(page, "No students match")

    def test_says_a_search_or_a_filter_found_nobody(self):
        for params in ({"q": "nobody"}, {"status": "graduated"}, {"course": "MATH101"}):
            with self.subTest(params=params):
                page = self.get("/students/", params=params)

                self.assertEqual(page.html.select_one("#result-count").get_text(), "0 students found.")
                self.assertEqual(page.html.select_one("#no-students").get_text(), "No students match.")


class TestPagingThroughTheStudentList(WebTestCase):
    role = VIEWER

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        baker.make_recipe("students.student", last_name="Active", _quantity=51)
        baker.make_recipe("students.student", last_name="Gone", status="withdrawn", _quantity=2)

    def position(self, page):
        return page.html.select_one("#page-position").text

    def numbers(self, page):
        """The page numbers shown, each with its aria-current."""
        return [(item.text, (item.a or item).get("aria-current")) for item in page.html.select("#page-numbers li")]

    def test_shows_25_students_a_page_and_walks_with_next_and_previous(self):
        page = self.get("/students/")
        self.assertEqual((len(names_on(page)), self.position(page)), (25, "Page 1 of 3"))
        self.assertIsNone(page.html.select_one("#previous-page"))

        page = page.click(linkid="next-page")
        self.assertEqual((len(names_on(page)), self.position(page)), (25, "Page 2 of 3"))
        page = page.click(linkid="next-page")
        self.assertEqual((len(names_on(page)), self.position(page)), (3, "Page 3 of 3"))
        self.assertIsNone(page.html.select_one("#next-page"))

        self.assertEqual(page.html.select_one("#result-count").text, "Showing 51\u201353 of 53 students found.")

        page = page.click(linkid="previous-page")
        self.assertEqual(self.position(page), "Page 2 of 3")
        self.assertEqual(page.html.select_one("#result-count").text, "Showing 26\u201350 of 53 students found.")

    def test_numbers_the_pages_and_marks_the_current_one(self):
        page = self.get("/students/", params={"status": "active"})
        self.assertEqual(self.numbers(page), [("1", "page"), ("2", None), ("3", None)])

        page = page.click(href="page=3", description="3")
        self.assertEqual(self.position(page), "Page 3 of 3")
        self.assertEqual(self.numbers(page), [("1", None), ("2", None), ("3", "page")])
        self.assertEqual(query_of(page.request.url), {"status": ["active"], "page": ["3"]})
        self.assertEqual(len(names_on(page)), 1)

    def test_leaves_out_far_away_page_numbers(self):
        baker.make_recipe("students.student", last_name="More", _quantity=25 * 9)
        page = self.get("/students/", params={"page": "6"})
        self.assertEqual(self.position(page), "Page 6 of 12")
        shown = [number for number, _ in self.numbers(page)]
        self.assertEqual(shown, ["1", "…", "4", "5", "6", "7", "8", "…", "12"])

    def test_shows_the_nearest_real_page_for_any_page_number(self):
        cases = [("0", 1), ("-4", 1), ("abc", 1), ("", 1), ("1.5", 1), ("2", 2), ("999", 3), ("9" * 40, 3)]
        for number, shown in cases:
            with self.subTest(page=number):
                page = self.get("/students/", params={"page": number})
                self.assertEqual(page.status_code, 200)
                self.assertEqual(self.position(page), f"Page {shown} of 3")
                self.assertEqual(len(names_on(page)), 3 if shown == 3 else 25)

    def test_keeps_the_search_filters_and_sort_in_the_page_and_export_links(self):
        page = self.get("/students/", params={"q": "active", "status": "active", "sort": "-last_name"})
        self.assertEqual(page.html.select_one("#result-count").text, "Showing 1\u201325 of 51 students found.")
        wanted = {"q": ["active"], "status": ["active"], "sort": ["-last_name"]}

        next_href = page.html.select_one("#next-page")["href"]
        self.assertEqual(query_of(next_href), {**wanted, "page": ["2"]})
        page = page.click(linkid="next-page").click(linkid="next-page")
        self.assertEqual(self.position(page), "Page 3 of 3")
        self.assertEqual(len(names_on(page)), 1)
        self.assertEqual(query_of(page.html.select_one("#previous-page")["href"]), {**wanted, "page": ["2"]})

        export_href = page.html.select_one("#export-csv")["href"]
        self.assertEqual(urlsplit(export_href).path, "/students/export.csv")
        self.assertEqual(query_of(export_href), wanted, "the export takes every row, not one page")
