"""model-bakery recipes for students: `baker.make_recipe("students.student")`.

Callables instead of `seq` keep `prepare_recipe` free of database queries.
"""

from datetime import date
from itertools import count

from model_bakery.recipe import Recipe, foreign_key

from apps.students.models import Course, Enrollment, Student

_numbers = count(1)


def _code():
    return f"C{next(_numbers):04d}"


def _email():
    return f"student{next(_numbers)}@school.example"


course = Recipe(Course, code=_code, title="Introduction to Algebra", capacity=30, description="")
student = Recipe(
    Student,
    first_name="Ada",
    last_name="Lovelace",
    email=_email,
    date_of_birth=date(2008, 12, 10),
    status=Student.Status.ACTIVE,
    enrolled_on=date(2024, 9, 1),
    notes="",
)
enrollment = Recipe(Enrollment, student=foreign_key(student), course=foreign_key(course))
