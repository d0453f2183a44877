"""The search text read anew: "YILMAZ" finds Yılmaz, "soren" Søren, "lapinski" Łapiński and
"o'brien" O’Brien (project/folding.py)."""

import unicodedata

from django.db import migrations

READ_AS = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "’": "'", "‘": "'", "ʼ": "'"}
)


def searchable(text):
    # A frozen copy of project.folding.without_case_or_accents as it was when this migration was written.
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char)).translate(READ_AS)


def refill_search_text(apps, schema_editor):
    Student = apps.get_model("students", "Student")
    batch = []
    for student in Student.objects.only("first_name", "last_name", "email").iterator(chunk_size=1000):
        student.search_text = "\n".join(
            searchable(value) for value in (student.first_name, student.last_name, student.email)
        )
        batch.append(student)
        if len(batch) == 1000:
            Student.objects.bulk_update(batch, ["search_text"])
            batch = []
    Student.objects.bulk_update(batch, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [
        ("students", "0008_names_in_alphabetical_order"),
    ]

    operations = [
        migrations.RunPython(refill_search_text, migrations.RunPython.noop),
    ]
