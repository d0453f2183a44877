from datetime import date

from concurrency.fields import AutoIncVersionField
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from project.fields import AlphabeticalCharField, EmailAddressField, MultilineTextField, NormalisedField
from project.folding import without_case_or_accents
from project.sqlite.functions import CaseFolded
from project.validators import validate_multiline, validate_single_line

from .rules import COURSE_CODE_MESSAGE, normalise_course_code, validate_course_code, validate_date_of_birth


class CourseCodeField(NormalisedField, models.CharField):
    """Course codes are validated, compared and stored in capitals, whoever writes them."""

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_course_code(value) if value else value


# Each field's messages, said the same way by the forms, the admin and the API (which take them from
# here): `blank` is what an empty or missing value is told; the other keys are the checks' own codes.


class Course(models.Model):
    code = CourseCodeField(
        max_length=20,
        unique=True,
        validators=[validate_course_code],  # (letters, digits and hyphens: no controls either)
        help_text="2 to 20 letters, digits or hyphens, stored in capitals, e.g. MATH101.",
        error_messages={
            "blank": "Enter the course code.",
            "max_length": COURSE_CODE_MESSAGE,
            "unique": "A course with this code already exists.",
        },
    )
    title = AlphabeticalCharField(
        max_length=200,
        validators=[validate_single_line],
        error_messages={"blank": "Enter the title.", "max_length": "A title can be at most 200 characters."},
    )
    capacity = models.PositiveIntegerField(
        # At most what PostgreSQL's integer holds, on SQLite too: one rule on every database.
        validators=[MinValueValidator(1), MaxValueValidator(2**31 - 1)],
        help_text="Seats available.",
        error_messages={
            "blank": "Enter the number of seats.",
            "invalid": "Enter the number of seats as a whole number, like 30.",
            "min_value": "A course has at least 1 seat.",
            "max_value": "That is more seats than a course can have.",
        },
    )
    description = MultilineTextField(blank=True, validators=[validate_multiline])
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Raised by every save; a save from an older version is refused (services.StaleRecord).
    version = AutoIncVersionField()

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="students_course_capacity_positive"),
        ]

    def __str__(self):
        return f"{self.code} — {self.title}"

    def get_absolute_url(self):
        return reverse("courses:detail", args=[self.pk])

    def clean(self):
        # Checked by every door; the update service checks it again with the course row locked,
        # as every enrollment locks it, so no simultaneous enrollment slips past.
        if self.pk is not None and self.capacity is not None and self.capacity >= 1:  # (below 1: its own message)
            enrolled = self.enrollments.count()
            if self.capacity < enrolled:
                raise ValidationError(
                    {"capacity": f"Capacity cannot be lower than the {enrolled} students already enrolled."}
                )

    @property
    def seats_left(self):
        """Uses the `enrolled_count` annotation of list/detail querysets when present."""
        enrolled = getattr(self, "enrolled_count", None)
        if enrolled is None:
            enrolled = self.enrollments.count()
        return max(self.capacity - enrolled, 0)


def searchable(text):
    """`text` as the search compares it: letter case folded and accents dropped, in every
    script (project/folding.py)."""
    return without_case_or_accents(text)


class StudentQuerySet(models.QuerySet):
    def bulk_create(self, objs, **options):
        # bulk_create skips save(): derive the search text here too.
        objs = list(objs)
        for student in objs:
            student.search_text = student.build_search_text()
        return super().bulk_create(objs, **options)


class Student(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        GRADUATED = "graduated", "Graduated"
        WITHDRAWN = "withdrawn", "Withdrawn"

    NUMBER_PREFIX = "S"

    # NULL only between the INSERT and the UPDATE that derives it from the pk.
    student_number = models.CharField(max_length=12, unique=True, editable=False, null=True)  # noqa: DJ001
    first_name = AlphabeticalCharField(
        max_length=100,
        validators=[validate_single_line],
        error_messages={"blank": "Enter the first name.", "max_length": "A first name can be at most 100 characters."},
    )
    last_name = AlphabeticalCharField(
        max_length=100,
        validators=[validate_single_line],
        error_messages={"blank": "Enter the last name.", "max_length": "A last name can be at most 100 characters."},
    )
    email = EmailAddressField(
        max_length=254,
        error_messages={
            "blank": "Enter the email address.",
            "invalid": "Enter an email address like name@school.example.",
            "max_length": "An email address can be at most 254 characters.",
        },
    )
    date_of_birth = models.DateField(
        null=True,
        blank=True,
        validators=[validate_date_of_birth],
        error_messages={"invalid": "Enter the date of birth as YYYY-MM-DD, like 2009-12-16."},
    )
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.ACTIVE,
        error_messages={"blank": "Choose a status.", "invalid_choice": "Choose Active, Graduated or Withdrawn."},
    )
    enrolled_on = models.DateField(
        default=timezone.localdate,
        error_messages={
            "blank": "Enter the date the student enrolled.",
            "invalid": "Enter the enrollment date as YYYY-MM-DD, like 2024-09-02.",
        },
    )
    notes = MultilineTextField(blank=True, validators=[validate_multiline])
    # Names and email as `searchable()` gives them, kept up to date by save(), so
    # search ignores case and accents the same way on SQLite and PostgreSQL.
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = AutoIncVersionField()

    SEARCHED_FIELDS = ("first_name", "last_name", "email")

    objects = StudentQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.UniqueConstraint(
                CaseFolded("email"),
                name="students_student_email_ci_unique",
                violation_error_message="A student with this email already exists.",
            ),
        ]
        indexes = [
            models.Index(fields=["last_name", "first_name", "id"], name="student_name_idx"),
            # The first-name sort reads it in order: sorting 100,000 names in the alphabet's
            # order (a Python collation on SQLite) would take seconds.
            models.Index(fields=["first_name", "last_name", "id"], name="student_first_name_idx"),
            models.Index(fields=["enrolled_on", "id"], name="student_enrolled_on_idx"),
            models.Index(fields=["status", "last_name", "first_name", "id"], name="student_status_name_idx"),
        ]

    def __str__(self):
        return f"{self.full_name} ({self.student_number})" if self.student_number else self.full_name

    def save(self, **kwargs):
        self.search_text = self.build_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & set(self.SEARCHED_FIELDS):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(**kwargs)
        if not self.student_number:
            # Derived from the primary key, so unique without a race.
            self.student_number = self.number_for(self.pk)
            type(self).objects.filter(pk=self.pk).update(student_number=self.student_number)

    def get_absolute_url(self):
        return reverse("students:detail", args=[self.pk])

    def validate_constraints(self, exclude=None):
        # The only constraint checked here without a field of its own is the
        # email one (an expression): its message belongs beside the email field.
        try:
            super().validate_constraints(exclude)
        except ValidationError as error:
            raise ValidationError(
                {"email" if name == NON_FIELD_ERRORS else name: errors for name, errors in error.error_dict.items()}
            ) from error

    def build_search_text(self):
        # One line per field: a search word never matches across two of them.
        return "\n".join(searchable(getattr(self, name)) for name in self.SEARCHED_FIELDS)

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"

    @classmethod
    def number_for(cls, pk):
        return f"{cls.NUMBER_PREFIX}{pk:06d}"

    @property
    def age(self):
        return self.age_on(timezone.localdate())

    def age_on(self, day: date):
        if self.date_of_birth is None:
            return None
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class Enrollment(models.Model):
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="enrollments")
    # PROTECT: a course that still has students cannot be deleted.
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="enrollments")
    enrolled_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["course__code"]
        constraints = [
            models.UniqueConstraint(fields=["student", "course"], name="students_enrollment_once_per_course"),
        ]

    def __str__(self):
        return f"{self.student.full_name} in {self.course.code}"
