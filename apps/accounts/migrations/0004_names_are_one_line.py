"""An account's names are one line of visible text (project/validators.py)."""

from django.db import migrations, models

import project.validators

NAME = {"max_length": 150, "blank": True, "validators": [project.validators.validate_single_line]}


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_password_reset_requests")]
    operations = [
        migrations.AlterField("user", "first_name", models.CharField("first name", **NAME)),
        migrations.AlterField("user", "last_name", models.CharField("last name", **NAME)),
    ]
