"""Student emails unique in the case of every letter, on SQLite too (project/sqlite)."""

from django.db import migrations, models

import project.sqlite.functions
from project.sqlite.migration import refuse_values_one_in_any_case


def refuse_emails_one_in_any_case(apps, schema_editor):
    refuse_values_one_in_any_case(apps.get_model("students", "Student"), "email")


class Migration(migrations.Migration):
    dependencies = [
        ("students", "0006_line_breaks_stored_as_newlines"),
    ]

    operations = [
        migrations.RunPython(refuse_emails_one_in_any_case, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="student", name="students_student_email_ci_unique"),
        migrations.AddConstraint(
            model_name="student",
            constraint=models.UniqueConstraint(
                project.sqlite.functions.UnicodeLower("email"),
                name="students_student_email_ci_unique",
                violation_error_message="A student with this email already exists.",
            ),
        ),
    ]
