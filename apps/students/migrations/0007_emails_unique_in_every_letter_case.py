"""Student emails stored composed (NFKC) and unique in the case of every letter, on SQLite too (project/sqlite)."""

from django.db import migrations, models

import project.fields
import project.sqlite.functions
from project.sqlite.migration import store_emails_composed_and_unique_in_any_case


def store_emails_composed(apps, schema_editor):
    store_emails_composed_and_unique_in_any_case(apps.get_model("students", "Student"))


class Migration(migrations.Migration):
    dependencies = [
        ("students", "0006_line_breaks_stored_as_newlines"),
    ]

    operations = [
        migrations.RunPython(store_emails_composed, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="student", name="students_student_email_ci_unique"),
        migrations.AlterField(
            model_name="student",
            name="email",
            field=project.fields.EmailAddressField(
                error_messages={
                    "blank": "Enter the email address.",
                    "invalid": "Enter an email address like name@school.example.",
                    "max_length": "An email address can be at most 254 characters.",
                },
                max_length=254,
            ),
        ),
        migrations.AddConstraint(
            model_name="student",
            constraint=models.UniqueConstraint(
                project.sqlite.functions.CaseFolded("email"),
                name="students_student_email_ci_unique",
                violation_error_message="A student with this email already exists.",
            ),
        ),
    ]
