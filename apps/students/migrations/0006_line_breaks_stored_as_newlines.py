"""Notes and descriptions keep their line breaks as "\\n", however they were sent: the ones saved
from a browser's text box (as "\\r\\n") are rewritten so, their versions unchanged (what they say is the same)."""

from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Replace

import project.fields
import project.validators

TEXTS = {"Course": "description", "Student": "notes"}


def store_line_breaks_as_newlines(apps, schema_editor):
    for model, field in TEXTS.items():
        newlines = Replace(Replace(field, Value("\r\n"), Value("\n")), Value("\r"), Value("\n"))
        apps.get_model("students", model).objects.filter(**{f"{field}__contains": "\r"}).update(**{field: newlines})


class Migration(migrations.Migration):
    dependencies = [
        ("students", "0005_capacity_same_limit_on_every_database"),
    ]

    operations = [
        migrations.AlterField(
            model_name="course",
            name="description",
            field=project.fields.MultilineTextField(blank=True, validators=[project.validators.validate_multiline]),
        ),
        migrations.AlterField(
            model_name="student",
            name="notes",
            field=project.fields.MultilineTextField(blank=True, validators=[project.validators.validate_multiline]),
        ),
        migrations.RunPython(store_line_breaks_as_newlines, migrations.RunPython.noop),
    ]
