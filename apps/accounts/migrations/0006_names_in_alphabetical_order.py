"""Names sorted in the order of the alphabet on SQLite too, as on PostgreSQL (project/sqlite)."""

from django.db import migrations

import apps.accounts.models
import project.fields


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_emails_unique_in_every_letter_case"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="username",
            field=project.fields.AlphabeticalCharField(
                error_messages={"unique": "A user with that username already exists."},
                help_text="150 characters or fewer: letters, digits and . + - _ only (no @).",
                max_length=150,
                unique=True,
                validators=[
                    apps.accounts.models.UsernameValidator(),
                    apps.accounts.models.validate_username_has_no_at_sign,
                ],
                verbose_name="username",
            ),
        ),
    ]
