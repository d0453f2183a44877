"""A course's capacity is at most 2,147,483,647 seats on SQLite as on PostgreSQL (whose integer stops there)."""

import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("students", "0004_text_rules_and_messages"),
    ]

    operations = [
        migrations.AlterField(
            model_name="course",
            name="capacity",
            field=models.PositiveIntegerField(
                error_messages={
                    "blank": "Enter the number of seats.",
                    "invalid": "Enter the number of seats as a whole number, like 30.",
                    "max_value": "That is more seats than a course can have.",
                    "min_value": "A course has at least 1 seat.",
                },
                help_text="Seats available.",
                validators=[
                    django.core.validators.MinValueValidator(1),
                    django.core.validators.MaxValueValidator(2147483647),
                ],
            ),
        ),
    ]
