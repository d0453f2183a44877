"""Paging, filtering, ordering and the query cost of the API's lists."""

from datetime import date
from urllib.parse import parse_qs, urlsplit

from django.urls import reverse
from model_bakery import baker

from apps.students.models import Course
from project.testing import REGISTRAR, VIEWER, given
from project.testing_web import ApiTestCase

STUDENTS = reverse("api:student-list")
COURSES = reverse("api:course-list")


def query_of(link):
    """The query parameters of a `next`/`previous` link, one value each."""
    return {name: values[0] for name, values in parse_qs(urlsplit(link).query).items()}


class TestAViewerPagingThroughTheStudentsApi(ApiTestCase):
    role = VIEWER
    students = given("students.student", _quantity=30)

    def ids(self, response):
        return [student["id"] for student in response.json["results"]]

    def test_sees_25_students_a_page_and_a_link_to_the_next_page(self):
        response = self.api_get(STUDENTS)
        self.assertEqual(response.json["count"], 30)
        self.assertEqual(self.ids(response), [student.pk for student in self.students[:25]])
        self.assertEqual(response.json["next"], f"http://testserver{STUDENTS}?page=2")
        self.assertIsNone(response.json["previous"])

    def test_follows_the_next_link_to_the_last_page_and_back(self):
        last = self.api_get(self.api_get(STUDENTS).json["next"])
        self.assertEqual(self.ids(last), [student.pk for student in self.students[25:]])
        self.assertIsNone(last.json["next"])
        self.assertEqual(last.json["previous"], f"http://testserver{STUDENTS}")
        self.assertEqual(self.ids(self.api_get(last.json["previous"])), [student.pk for student in self.students[:25]])

    def test_chooses_the_page_length_with_page_size(self):
        response = self.api_get(STUDENTS, params={"page_size": 10, "page": 2})
        self.assertEqual(self.ids(response), [student.pk for student in self.students[10:20]])
        self.assertEqual(query_of(response.json["next"]), {"page": "3", "page_size": "10"})
        self.assertEqual(query_of(response.json["previous"]), {"page_size": "10"})

    def test_gets_the_default_page_length_for_a_page_size_that_is_no_positive_number(self):
        for page_size in ("abc", "0", "-5", "1.5", ""):
            with self.subTest(page_size=page_size):
                self.assertEqual(len(self.api_get(STUDENTS, params={"page_size": page_size}).json["results"]), 25)

    def test_gets_a_json_404_for_a_page_that_does_not_exist(self):
        for page in ("3", "0", "-1", "abc", "9" * 40, "1\x00"):
            with self.subTest(page=page):
                response = self.api_get(STUDENTS, params={"page": page}, status=404)
                self.assertApiError(response, 404, {"detail": "Invalid page."})

    def test_may_ask_for_the_last_page_by_name(self):
        self.assertEqual(self.ids(self.api_get(STUDENTS, params={"page": "last"})), [s.pk for s in self.students[25:]])


class TestAViewerAskingForHugePagesOfTheStudentsApi(ApiTestCase):
    role = VIEWER

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        baker.make_recipe("students.student", _quantity=101, _bulk_create=True)

    def test_gets_at_most_100_students_a_page(self):
        response = self.api_get(STUDENTS, params={"page_size": 1000})
        self.assertEqual((response.json["count"], len(response.json["results"])), (101, 100))
        self.assertEqual(query_of(response.json["next"]), {"page": "2", "page_size": "1000"})


class TestAViewerFilteringTheStudentsApi(ApiTestCase):
    role = VIEWER

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        math = baker.make_recipe("students.course", code="MATH101")
        physics = baker.make_recipe("students.course", code="PHYS201")

        def student(first, last, email, status, enrolled_on, courses=()):
            made = baker.make_recipe(
                "students.student",
                first_name=first,
                last_name=last,
                email=email,
                status=status,
                enrolled_on=enrolled_on,
            )
            for course in courses:
                baker.make_recipe("students.enrollment", student=made, course=course)
            return made

        cls.ada = student("Ada", "Lovelace", "ada@school.example", "active", date(2024, 9, 1), [math])
        cls.alan = student("Alan", "Turing", "alan@bletchley.example", "graduated", date(2023, 9, 1), [math, physics])
        cls.grace = student("Grace", "Hopper", "grace@navy.example", "withdrawn", date(2025, 1, 15))
        cls.adam = student("Adam", "Smith", "adam@school.example", "active", date(2024, 1, 10), [physics])

    def names(self, **params):
        response = self.api_get(STUDENTS, params=params)
        return [student["last_name"] for student in response.json["results"]]

    def test_searches_names_email_and_student_number_with_q(self):
        cases = {
            "ada": ["Lovelace", "Smith"],
            "LOVELACE": ["Lovelace"],
            "bletchley": ["Turing"],
            self.grace.student_number.lower(): ["Hopper"],
            str(int(self.grace.student_number[1:])): ["Hopper"],  # without the S and the zeros
            "ÁDÁ": ["Lovelace", "Smith"],  # letter case and accents do not matter
            "nobody": [],
        }
        for q, expected in cases.items():
            with self.subTest(q=q):
                self.assertEqual(self.names(q=q), expected)

    def test_needs_every_word_of_q_to_match(self):
        self.assertEqual(self.names(q="ada school"), ["Lovelace", "Smith"])
        self.assertEqual(self.names(q="ada love"), ["Lovelace"])

    def test_filters_by_status(self):
        self.assertEqual(self.names(status="active"), ["Lovelace", "Smith"])
        self.assertEqual(self.names(status="graduated"), ["Turing"])

    def test_filters_by_course_code_in_any_letter_case(self):
        self.assertEqual(self.names(course="MATH101"), ["Lovelace", "Turing"])
        self.assertEqual(self.names(course=" phys201 "), ["Smith", "Turing"])
        self.assertEqual(self.names(course="CHEM100"), [])

    def test_combines_filters(self):
        self.assertEqual(self.names(q="a", status="active", course="phys201"), ["Smith"])

    def test_keeps_the_filters_in_the_page_links(self):
        response = self.api_get(STUDENTS, params={"status": "active", "page_size": 1})
        self.assertEqual(query_of(response.json["next"]), {"page": "2", "page_size": "1", "status": "active"})

    def test_is_told_about_a_filter_value_it_cannot_use(self):
        cases = [
            (
                {"status": "expelled"},
                {"status": ["Select a valid choice. expelled is not one of the available choices."]},
            ),
            ({"course": "X" * 21}, {"course": ["Ensure this value has at most 20 characters (it has 21)."]}),
            ({"q": "a\x00b"}, {"q": ["Null characters are not allowed."]}),
        ]
        for params, body in cases:
            with self.subTest(params=params):
                response = self.api_get(STUDENTS, params=params, status=400)
                self.assertApiError(response, 400, body)

    def test_orders_by_name_by_default(self):
        self.assertEqual(self.names(), ["Hopper", "Lovelace", "Smith", "Turing"])

    def test_orders_by_the_ordering_parameter(self):
        cases = {
            "-last_name": ["Turing", "Smith", "Lovelace", "Hopper"],
            "first_name": ["Lovelace", "Smith", "Turing", "Hopper"],
            "enrolled_on": ["Turing", "Smith", "Lovelace", "Hopper"],
            "-enrolled_on": ["Hopper", "Lovelace", "Smith", "Turing"],
            "status,-last_name": ["Smith", "Lovelace", "Turing", "Hopper"],
        }
        for ordering, expected in cases.items():
            with self.subTest(ordering=ordering):
                self.assertEqual(self.names(ordering=ordering), expected)

    def test_ignores_an_ordering_it_does_not_know(self):
        for ordering in ("password", "courses", "-created_at", "?", "last_name__len", "\x00"):
            with self.subTest(ordering=ordering):
                self.assertEqual(self.names(ordering=ordering), ["Hopper", "Lovelace", "Smith", "Turing"])


class TestAViewerSortingTheStudentsApiLikeTheList(ApiTestCase):
    """`sort` takes the values of the student list page's Sort menu and orders the same way."""

    role = VIEWER

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # Shared last names, first names, dates and statuses: every tie-breaker shows.
        for first, last, enrolled_on, status in [
            ("Ada", "Lovelace", date(2024, 9, 1), "active"),
            ("Alan", "Turing", date(2023, 9, 1), "graduated"),
            ("Grace", "Hopper", date(2025, 1, 15), "withdrawn"),
            ("Adam", "Smith", date(2024, 1, 10), "active"),
            ("Ada", "Smith", date(2024, 9, 1), "graduated"),
        ]:
            baker.make_recipe(
                "students.student", first_name=first, last_name=last, enrolled_on=enrolled_on, status=status
            )

    def on_the_api(self, **params):
        return [student["id"] for student in self.api_get(STUDENTS, params=params).json["results"]]

    def on_the_page(self, **params):
        page = self.app.get(reverse("students:list"), params, user=self.user)
        return [int(row["id"].removeprefix("student-")) for row in page.html.select("#student-table tbody tr")]

    def sorts_on_the_menu(self):
        page = self.app.get(reverse("students:list"), user=self.user)
        return [option["value"] for option in page.html.select("#id_sort option")]

    def test_orders_by_each_sort_of_the_list_page_as_the_page_does(self):
        sorts = self.sorts_on_the_menu()
        self.assertEqual(len(sorts), 10)
        orders = {}
        for sort in sorts:
            with self.subTest(sort=sort):
                orders[sort] = self.on_the_page(sort=sort)
                self.assertEqual(self.on_the_api(sort=sort), orders[sort])
        self.assertEqual(len(set(map(tuple, orders.values()))), len(sorts), "each sort orders differently")

    def test_takes_ordering_as_another_name_for_sort(self):
        for sort in self.sorts_on_the_menu():
            with self.subTest(sort=sort):
                self.assertEqual(self.on_the_api(ordering=sort), self.on_the_api(sort=sort))

    def test_takes_several_values_under_ordering_each_in_turn(self):
        response = self.api_get(STUDENTS, params={"ordering": "status, last_name,-first_name"})
        names = [f"{student['last_name']}, {student['first_name']}" for student in response.json["results"]]
        self.assertEqual(names, ["Lovelace, Ada", "Smith, Adam", "Smith, Ada", "Turing, Alan", "Hopper, Grace"])

    def test_follows_sort_when_ordering_is_sent_too(self):
        self.assertEqual(
            self.on_the_api(sort="-enrolled_on", ordering="last_name"), self.on_the_page(sort="-enrolled_on")
        )

    def test_orders_an_unknown_sort_by_name_as_the_page_does(self):
        for sort in ("password", "-id", "", "status,-last_name", "\x00"):
            with self.subTest(sort=sort):
                self.assertEqual(self.on_the_api(sort=sort), self.on_the_page())
        self.assertEqual(self.on_the_page(sort="password"), self.on_the_page())


class TestAViewerListingTheCoursesApi(ApiTestCase):
    role = VIEWER

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for code, title, capacity in (
            ("PHYS201", "Mechanics", 12),
            ("ART100", "Écriture", 40),  # between Calculus and Mechanics: in the alphabet's order
            ("MATH101", "Calculus", 5),
        ):
            baker.make_recipe("students.course", code=code, title=title, capacity=capacity)

    def codes(self, **params):
        response = self.api_get(COURSES, params=params)
        return [course["code"] for course in response.json["results"]]

    def test_sees_the_courses_by_code(self):
        self.assertEqual(self.codes(), ["ART100", "MATH101", "PHYS201"])

    def test_orders_them_by_title_or_capacity_and_ignores_unknown_orderings(self):
        self.assertEqual(self.codes(ordering="title"), ["MATH101", "ART100", "PHYS201"])
        self.assertEqual(self.codes(ordering="-capacity"), ["ART100", "PHYS201", "MATH101"])
        self.assertEqual(self.codes(ordering="description"), ["ART100", "MATH101", "PHYS201"])

    def test_sorts_them_by_code_title_or_capacity_either_way(self):
        cases = {
            "-code": ["PHYS201", "MATH101", "ART100"],
            "title": ["MATH101", "ART100", "PHYS201"],
            "-title": ["PHYS201", "ART100", "MATH101"],
            "capacity": ["MATH101", "PHYS201", "ART100"],
            "-capacity": ["ART100", "PHYS201", "MATH101"],
            "description": ["ART100", "MATH101", "PHYS201"],
        }
        for sort, expected in cases.items():
            with self.subTest(sort=sort):
                self.assertEqual(self.codes(sort=sort), expected)

    def test_pages_through_them(self):
        response = self.api_get(COURSES, params={"page_size": 2})
        self.assertEqual(response.json["count"], 3)
        self.assertEqual(query_of(response.json["next"]), {"page": "2", "page_size": "2"})
        response = self.api_get(response.json["next"])
        self.assertEqual([course["code"] for course in response.json["results"]], ["PHYS201"])
        response = self.api_get(COURSES, params={"page": 3}, status=404)
        self.assertApiError(response, 404, {"detail": "Invalid page."})


class TestTheApiListsQueryBudget(ApiTestCase):
    """A list costs the same number of queries for 1 record as for 30: no query per row.

    Token lookup 1, the user's permissions 1, count 1, page 1 (+ enrollments 1
    for students). A read runs outside any transaction.
    """

    role = REGISTRAR
    STUDENT_LIST_QUERIES = 5
    COURSE_LIST_QUERIES = 4

    def add_students(self, count):
        courses = list(Course.objects.all()) or baker.make_recipe("students.course", _quantity=2)
        for student in baker.make_recipe("students.student", _quantity=count):
            for course in courses:
                baker.make_recipe("students.enrollment", student=student, course=course)

    def add_courses(self, count):
        for course in baker.make_recipe("students.course", _quantity=count):
            baker.make_recipe("students.enrollment", course=course)

    def assertListBudget(self, path, expected, add_rows, page_size=None):
        """The list costs `expected` queries with 1 and with 30 records, and shows them a page at a time."""
        params = {"page_size": page_size} if page_size else {}
        responses = self.assertQueryBudget(path, expected, add_rows, params=params)
        self.assertEqual([len(response.json["results"]) for response in responses], [1, min(30, page_size or 25)])

    def test_students_list_costs_the_same_for_1_or_30_students(self):
        self.assertListBudget(STUDENTS, self.STUDENT_LIST_QUERIES, self.add_students)

    def test_students_list_costs_the_same_with_100_a_page(self):
        self.assertListBudget(STUDENTS, self.STUDENT_LIST_QUERIES, self.add_students, page_size=100)

    def test_courses_list_costs_the_same_for_1_or_30_courses(self):
        self.assertListBudget(COURSES, self.COURSE_LIST_QUERIES, self.add_courses)

    def test_courses_list_costs_the_same_with_100_a_page(self):
        self.assertListBudget(COURSES, self.COURSE_LIST_QUERIES, self.add_courses, page_size=100)
