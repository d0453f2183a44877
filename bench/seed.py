"""Bulk-seed a benchmark database (inside Django): N students, 20 courses, two enrollments a student;
explicit ids set `student_number` at insert time instead of the UPDATE that `Student.save()` adds."""

import hashlib
import random
from datetime import date, timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from rest_framework.authtoken.models import Token

from apps.accounts.roles import REGISTRARS
from apps.students.models import Course, Enrollment, Student

from .common import REGISTRAR_PASSWORD, REGISTRAR_USERNAME, ROOT

COURSE_COUNT = 20
ENROLLMENTS_PER_STUDENT = 2
BATCH = 5000
SEARCH_WORD = "Nakamura"  # one of LAST_NAMES: matches about 1 student in 40

FIRST_NAMES = [
    "Amara", "Ben", "Chloé", "Dmitri", "Elif", "Farah", "Gustav", "Hana", "Ines", "Jonas",
    "Kofi", "Lena", "Mateo", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sami", "Tomasz",
    "Uma", "Viktor", "Wen", "Ximena", "Yusuf", "Zoe", "Aiko", "Bruno", "Carmen", "Dara",
]  # fmt: skip
LAST_NAMES = [
    "Okafor", "Schmidt", "García", "Nakamura", "Novak", "Haddad", "Kowalski", "Silva", "Rossi", "Dubois",
    "Johansson", "Murphy", "Nguyen", "Petrov", "Yilmaz", "Andersen", "Costa", "Fischer", "Ibrahim", "Kim",
    "Laine", "Moreau", "Nielsen", "Ortiz", "Papadopoulos", "Quispe", "Rahman", "Sato", "Tanaka", "Ueda",
    "Varga", "Weber", "Xu", "Yamamoto", "Zielinski", "Abbott", "Brennan", "Castillo", "Dimitrov", "Ekström",
]  # fmt: skip


def fingerprint(size):
    """Changes with the size, this seed and the schema: a seeded SQLite file is reused while it holds."""
    digest = hashlib.sha256(f"{size}".encode() + Path(__file__).read_bytes())
    for path in sorted(ROOT.glob("apps/*/migrations/*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def seed(size, *, analyze):
    """Create the schema and the rows."""
    call_command("migrate", verbosity=0, interactive=False)
    picker = random.Random(size)  # noqa: S311 - benchmark data, identical on every run
    with transaction.atomic():
        registrar = get_user_model().objects.create(
            username=REGISTRAR_USERNAME,
            # PBKDF2 so the production settings (`make serve`) accept the password too.
            password=make_password(REGISTRAR_PASSWORD, hasher="pbkdf2_sha256"),
        )
        registrar.groups.add(Group.objects.get(name=REGISTRARS))
        Token.objects.create(user=registrar)
        courses = [
            Course(id=index + 1, code=f"C{101 + index}", title=f"Course {101 + index}", capacity=1)
            for index in range(COURSE_COUNT)
        ]
        students, enrollments, enrolled_per_course = [], [], [0] * COURSE_COUNT
        first_day = date(2016, 9, 1)
        for pk in range(1, size + 1):
            students.append(
                Student(
                    id=pk,
                    student_number=Student.number_for(pk),
                    first_name=picker.choice(FIRST_NAMES),
                    last_name=picker.choice(LAST_NAMES),
                    email=f"student{pk}@bench.example",
                    date_of_birth=date(1995, 1, 1) + timedelta(days=picker.randrange(0, 365 * 12)),
                    status=picker.choices(("active", "graduated", "withdrawn"), weights=(8, 1, 1))[0],
                    enrolled_on=first_day + timedelta(days=picker.randrange(0, 365 * 10)),
                )
            )
            for course_index in picker.sample(range(COURSE_COUNT), ENROLLMENTS_PER_STUDENT):
                enrolled_per_course[course_index] += 1
                enrollments.append(Enrollment(student_id=pk, course_id=course_index + 1))
        # Every course has room for its students plus a few seats.
        for course, enrolled in zip(courses, enrolled_per_course, strict=True):
            course.capacity = max(30, enrolled + 5)
        Course.objects.bulk_create(courses)
        Student.objects.bulk_create(students, batch_size=BATCH)
        Enrollment.objects.bulk_create(enrollments, batch_size=BATCH)
        with connection.cursor() as cursor:  # explicit ids leave PostgreSQL's sequences behind
            for statement in connection.ops.sequence_reset_sql(no_style(), [Course, Student, Enrollment]):
                cursor.execute(statement)
    if analyze:  # what a live server's autovacuum would have done: planner statistics, a visibility map
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def facts(size):
    """What the measurements need to know about a seeded database."""
    registrar = get_user_model().objects.get(username=REGISTRAR_USERNAME)
    course = Course.objects.order_by("code").first()
    return {
        "size": size,
        "students": Student.objects.count(),
        "registrar_id": registrar.pk,
        "token": Token.objects.get(user=registrar).key,
        "middle_student_id": max(size // 2, 1),
        "course_id": course.pk,
        "course_roster": course.enrollments.count(),
        "search_word": SEARCH_WORD,
        "search_matches": Student.objects.filter(last_name__icontains=SEARCH_WORD).count(),
    }
