"""User emails unique in the case of every letter, on SQLite too (project/sqlite)."""

from django.db import migrations, models

import project.sqlite.functions
from project.sqlite.migration import refuse_values_one_in_any_case


def refuse_emails_one_in_any_case(apps, schema_editor):
    refuse_values_one_in_any_case(apps.get_model("accounts", "User"), "email")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_names_are_one_line"),
    ]

    operations = [
        migrations.RunPython(refuse_emails_one_in_any_case, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="user", name="accounts_user_email_ci_unique"),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                project.sqlite.functions.UnicodeLower("email"),
                name="accounts_user_email_ci_unique",
                violation_error_message="A user with that email address already exists.",
            ),
        ),
    ]
