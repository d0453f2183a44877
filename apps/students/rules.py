"""Business rules shared by the web forms and the API serializers.

Each rule is written once here and raises Django's ValidationError; DRF turns
those into `{"field": ["message"]}` answers on its own.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

OLDEST_AGE_YEARS = 120


def validate_date_of_birth(value: date):
    today = timezone.localdate()
    if value > today:
        raise ValidationError("Date of birth cannot be in the future.")
    try:
        oldest = today.replace(year=today.year - OLDEST_AGE_YEARS)
    except ValueError:  # 29 February
        oldest = today.replace(year=today.year - OLDEST_AGE_YEARS, day=28)
    if value < oldest:
        raise ValidationError(f"Date of birth cannot be more than {OLDEST_AGE_YEARS} years ago.")


def validate_unique_student_email(email, instance=None):
    """Student emails are unique whatever their letter case."""
    from .models import Student

    taken = Student.objects.filter(email__iexact=email)
    if instance is not None and instance.pk:
        taken = taken.exclude(pk=instance.pk)
    if taken.exists():
        raise ValidationError("A student with this email already exists.")


def validate_capacity(course, capacity):
    """A course's capacity cannot drop below the students already enrolled."""
    if course is None or not course.pk or capacity is None:
        return
    enrolled = course.enrollments.count()
    if capacity < enrolled:
        raise ValidationError(f"Capacity cannot be lower than the {enrolled} students already enrolled.")


def normalise_course_code(code):
    return code.strip().upper()
