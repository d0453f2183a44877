import unicodedata

from django.db import migrations, models


def searchable(text):
    # A frozen copy of apps.students.models.searchable as it was when this migration was written.
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def fill_search_text(apps, schema_editor):
    Student = apps.get_model("students", "Student")
    students = Student.objects.only("first_name", "last_name", "email")
    batch = []
    for student in students.iterator(chunk_size=1000):
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
        ("students", "0002_record_versions"),
    ]

    operations = [
        migrations.AddField(
            model_name="student",
            name="search_text",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop, elidable=True),
    ]
