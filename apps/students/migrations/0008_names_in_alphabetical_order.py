"""Names sorted in the order of the alphabet on SQLite too, as on PostgreSQL (project/sqlite)."""

from django.db import migrations, models

import project.fields
import project.validators


class Migration(migrations.Migration):
    dependencies = [
        ("students", "0007_emails_unique_in_every_letter_case"),
    ]

    operations = [
        migrations.AlterField(
            model_name="course",
            name="title",
            field=project.fields.AlphabeticalCharField(
                error_messages={"blank": "Enter the title.", "max_length": "A title can be at most 200 characters."},
                max_length=200,
                validators=[project.validators.validate_single_line],
            ),
        ),
        migrations.AlterField(
            model_name="student",
            name="first_name",
            field=project.fields.AlphabeticalCharField(
                error_messages={
                    "blank": "Enter the first name.",
                    "max_length": "A first name can be at most 100 characters.",
                },
                max_length=100,
                validators=[project.validators.validate_single_line],
            ),
        ),
        migrations.AlterField(
            model_name="student",
            name="last_name",
            field=project.fields.AlphabeticalCharField(
                error_messages={
                    "blank": "Enter the last name.",
                    "max_length": "A last name can be at most 100 characters.",
                },
                max_length=100,
                validators=[project.validators.validate_single_line],
            ),
        ),
        migrations.AddIndex(
            model_name="student",
            index=models.Index(fields=["first_name", "last_name", "id"], name="student_first_name_idx"),
        ),
    ]
