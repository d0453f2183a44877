"""Demo data for `make run`: three office accounts, courses and ~50 students.

Idempotent: the records are created only when there are no courses yet, and
running it again changes nothing and prints the same logins. Plain ORM code,
so the command needs none of the test tools.
"""

import random
import unicodedata
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from apps.accounts.roles import ADMINISTRATORS, REGISTRARS, VIEWERS
from apps.students.models import Course, Enrollment, Student

DEMO_ACCOUNTS = [
    # (username, email, password, group): demo-only credentials for a local run.
    ("administrator", "administrator@school.example", "administrator-demo-2026", ADMINISTRATORS),
    ("registrar", "registrar@school.example", "registrar-demo-2026", REGISTRARS),
    ("viewer", "viewer@school.example", "viewer-demo-2026", VIEWERS),
]
DEMO_COURSES = [
    ("MATH101", "Algebra I", 30),
    ("BIO110", "Introduction to Biology", 25),
    ("HIST120", "World History", 20),
    ("CHEM130", "Chemistry Lab", 12),
    ("ART140", "Drawing and Painting", 4),
]
FIRST_NAMES = ["Amara", "Ben", "Chloé", "Dmitri", "Elif", "Farah", "Gustav", "Hana", "Ines", "Jonas"]
LAST_NAMES = ["Okafor", "Schmidt", "García", "Nakamura", "Novak"]
STUDENT_COUNT = 50


def ascii_email(address):
    """García → garcia: demo addresses that pass the email form validation."""
    return unicodedata.normalize("NFKD", address).encode("ascii", "ignore").decode().lower()


class Command(BaseCommand):
    help = "Create the demo accounts and records once; safe to run again."

    @transaction.atomic
    def handle(self, *args, **options):
        self.seed_accounts()
        if Course.objects.exists():
            self.stdout.write("Demo records already present: nothing added.")
            return
        self.seed_records()

    def seed_accounts(self):
        user_model = get_user_model()
        for username, email, password, group_name in DEMO_ACCOUNTS:
            user, created = user_model.objects.get_or_create(
                username=username, defaults={"email": email, "password": make_password(password)}
            )
            if created:
                user.groups.add(Group.objects.get(name=group_name))
            self.stdout.write(f"Demo login: {username} / {password}  ({group_name[:-1].lower()})")

    def seed_records(self):
        # The same school on every machine (a fixed seed): students born 2005 to 2009,
        # enrolled from September 2023 to July 2025, most of them active and the others
        # graduated or withdrawn, each in the two courses picked for them at random unless
        # full (the two smallest fill up: the demo shows full courses).
        picker = random.Random(2026)  # noqa: S311 - demo data, not a secret
        courses = [Course.objects.create(code=c, title=t, capacity=n) for c, t, n in DEMO_COURSES]
        statuses = [Student.Status.ACTIVE] * 8 + [Student.Status.GRADUATED, Student.Status.WITHDRAWN]
        for index in range(STUDENT_COUNT):
            first = FIRST_NAMES[index % len(FIRST_NAMES)]
            last = LAST_NAMES[index // len(FIRST_NAMES) % len(LAST_NAMES)]
            student = Student.objects.create(
                first_name=first,
                last_name=last,
                email=ascii_email(f"{first}.{last}.{index}@students.example"),
                date_of_birth=date(2005, 1, 1) + timedelta(days=picker.randrange(0, 365 * 5)),
                status=picker.choice(statuses),
                enrolled_on=date(2023, 9, 1) + timedelta(days=picker.randrange(0, 700)),
            )
            for course in picker.sample(courses, k=2):
                if course.enrollments.count() < course.capacity:
                    Enrollment.objects.create(student=student, course=course)
        self.stdout.write(f"Added {len(courses)} courses and {STUDENT_COUNT} students.")
