"""Text rules (course codes, one-line names and titles, notes without control characters) and each
field's own messages, which the forms and the API say alike."""

import django.core.validators
import django.utils.timezone
from django.db import migrations, models

import apps.students.models
import apps.students.rules
import project.validators

ONE_LINE = [project.validators.validate_single_line]
MULTILINE = [project.validators.validate_multiline]
SEATS = {
    "blank": "Enter the number of seats.",
    "invalid": "Enter the number of seats as a whole number, like 30.",
    "max_value": "That is more seats than a course can have.",
    "min_value": "A course has at least 1 seat.",
}
CODE = {
    "blank": "Enter the course code.",
    "max_length": "A course code is 2 to 20 letters, digits or hyphens, like MATH101.",
    "unique": "A course with this code already exists.",
}
EMAIL = {
    "blank": "Enter the email address.",
    "invalid": "Enter an email address like name@school.example.",
    "max_length": "An email address can be at most 254 characters.",
}
ENROLLED_ON = {
    "blank": "Enter the date the student enrolled.",
    "invalid": "Enter the enrollment date as YYYY-MM-DD, like 2024-09-02.",
}
STATUSES = [("active", "Active"), ("graduated", "Graduated"), ("withdrawn", "Withdrawn")]


def name(label, max_length):
    messages = {"blank": f"Enter the {label}.", "max_length": f"A {label} can be at most {max_length} characters."}
    return models.CharField(max_length=max_length, validators=ONE_LINE, error_messages=messages)


class Migration(migrations.Migration):
    dependencies = [("students", "0003_student_search_text")]
    operations = [
        migrations.AlterField(
            "course",
            "code",
            apps.students.models.CourseCodeField(
                max_length=20,
                unique=True,
                validators=[apps.students.rules.CourseCodeValidator()],
                error_messages=CODE,
                help_text="2 to 20 letters, digits or hyphens, stored in capitals, e.g. MATH101.",
            ),
        ),
        migrations.AlterField("course", "title", name("title", 200)),
        migrations.AlterField(
            "course",
            "capacity",
            models.PositiveIntegerField(
                validators=[django.core.validators.MinValueValidator(1)],
                help_text="Seats available.",
                error_messages=SEATS,
            ),
        ),
        migrations.AlterField("course", "description", models.TextField(blank=True, validators=MULTILINE)),
        migrations.AlterField("student", "first_name", name("first name", 100)),
        migrations.AlterField("student", "last_name", name("last name", 100)),
        migrations.AlterField("student", "email", models.EmailField(max_length=254, error_messages=EMAIL)),
        migrations.AlterField(
            "student",
            "date_of_birth",
            models.DateField(
                null=True,
                blank=True,
                validators=[apps.students.rules.validate_date_of_birth],
                error_messages={"invalid": "Enter the date of birth as YYYY-MM-DD, like 2009-12-16."},
            ),
        ),
        migrations.AlterField(
            "student",
            "status",
            models.CharField(
                max_length=10,
                choices=STATUSES,
                default="active",
                error_messages={
                    "blank": "Choose a status.",
                    "invalid_choice": "Choose Active, Graduated or Withdrawn.",
                },
            ),
        ),
        migrations.AlterField(
            "student",
            "enrolled_on",
            models.DateField(default=django.utils.timezone.localdate, error_messages=ENROLLED_ON),
        ),
        migrations.AlterField("student", "notes", models.TextField(blank=True, validators=MULTILINE)),
    ]
