"""Business rules of students and courses that need more than a model field's options.

Each rule is written once here, attached to its model field, and raises
Django's ValidationError: the forms, the admin and the services run it through
the model; the API serializers take the model fields' validators, and DRF turns
the errors into `{"field": ["message"]}` answers.
"""

import unicodedata
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.deconstruct import deconstructible

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


COURSE_CODE_MESSAGE = "A course code is 2 to 20 letters, digits or hyphens, like MATH101."


def normalise_course_code(code):
    """As codes are stored and compared: compatibility forms folded (NFKC), trimmed, in capitals."""
    return unicodedata.normalize("NFKC", code).strip().upper()


@deconstructible
class CourseCodeValidator(RegexValidator):
    """Letters and digits of any script, and hyphens, at least 2 of them once normalised
    (at most 20 is the field's max_length, which says the same).

    A regex, so that the API schema documents it (`pattern`) and schema-driven clients send valid codes.
    """

    regex = r"^(?:[^\W_]|-){2,}\Z"
    message = COURSE_CODE_MESSAGE

    def __call__(self, value):
        super().__call__(normalise_course_code(value))


validate_course_code = CourseCodeValidator()
