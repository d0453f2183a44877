"""User emails stored composed (NFKC) and unique in the case of every letter, on SQLite too (project/sqlite)."""

from django.db import migrations, models

import project.fields
import project.sqlite.functions
from project.sqlite.migration import store_emails_composed_and_unique_in_any_case


def store_emails_composed(apps, schema_editor):
    store_emails_composed_and_unique_in_any_case(apps.get_model("accounts", "User"))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_names_are_one_line"),
    ]

    operations = [
        migrations.RunPython(store_emails_composed, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="user", name="accounts_user_email_ci_unique"),
        migrations.AlterField(
            model_name="user",
            name="email",
            field=project.fields.EmailAddressField(max_length=254, verbose_name="email address"),
        ),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                project.sqlite.functions.CaseFolded("email"),
                name="accounts_user_email_ci_unique",
                violation_error_message="A user with that email address already exists.",
            ),
        ),
    ]
