from django import forms
from django.db.models import Count

from . import rules
from .models import Course, Student
from .services import StaleRecord

# Dates are typed as every page shows them: 2008-12-10. (A browser's date picker would
# show them in the browser's own order instead, 12/10/2008 in the United States.)
ISO_DATE = "%Y-%m-%d"


class RecordForm(forms.ModelForm):
    """A student or course form. An edit form carries, in a hidden signed field
    (django-concurrency's), the version of the record it was opened on."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.saved_values = []
        if self.instance.pk:
            # A post without it (no page was opened) saves like an API write without If-Match.
            self.fields["version"].required = False
        else:
            del self.fields["version"]

    def record_fields(self):
        """The cleaned values the service writes."""
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}

    def opened_version(self):
        return self.cleaned_data.get("version") or None

    def show_conflict_with(self, current):
        """Somebody saved `current` since this form was opened: say so, show what
        is saved now beside what the user typed, and let a second submit save
        over it knowingly."""
        self.add_error(None, StaleRecord.message)
        self.saved_values = [
            (self[name].label, self._display(current, name)) for name in self.fields if name != "version"
        ]
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = str(self.fields["version"].prepare_value(current.version))

    @staticmethod
    def _display(record, name):
        display = getattr(record, f"get_{name}_display", None)
        value = display() if display else getattr(record, name)
        return "" if value is None else value


class StudentForm(RecordForm):
    # A new student's enrolled_on starts as today: the model field's default does it.

    class Meta:
        model = Student
        fields = ["first_name", "last_name", "email", "date_of_birth", "status", "enrolled_on", "notes", "version"]
        widgets = {
            "date_of_birth": forms.DateInput(format=ISO_DATE),
            "enrolled_on": forms.DateInput(format=ISO_DATE),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "date_of_birth": "Optional. Year, month, day: 2009-12-16.",
            "enrolled_on": "Year, month, day: 2024-09-01.",
        }


class CourseForm(RecordForm):
    # The model field's own form field allows 0 and tells a negative number
    # "greater than or equal to 0"; every refusal should name the real minimum.
    capacity = forms.IntegerField(min_value=1, help_text=Course._meta.get_field("capacity").help_text)

    class Meta:
        model = Course
        fields = ["code", "title", "capacity", "description", "version"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def clean_capacity(self):
        capacity = self.cleaned_data["capacity"]
        rules.validate_capacity(self.instance, capacity)
        return capacity


class CourseMenu(forms.Select):
    """A course menu whose full courses are shown but cannot be picked."""

    full = frozenset()  # ids of the full courses, set per form

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if value in self.full:
            option["attrs"]["disabled"] = True  # and never chosen, even after a refusal
            option["attrs"].pop("selected", None)
        return option


class EnrollForm(forms.Form):
    course = forms.ModelChoiceField(
        queryset=Course.objects.all(),
        empty_label="Choose a course",
        widget=CourseMenu,
        error_messages={"invalid_choice": "That course does not exist.", "required": "Choose a course."},
    )

    def __init__(self, data=None, *, student):
        super().__init__(data)
        # The menu offers the courses the student is not in yet, with the seats
        # left, full ones shown but disabled. Any existing course still validates,
        # so a stale page's duplicate or full course gets the service's own refusal.
        available = (
            Course.objects.exclude(enrollments__student=student)
            .annotate(enrolled_count=Count("enrollments"))
            .order_by("code")
        )
        menu = self.fields["course"].widget
        menu.choices = [("", "Choose a course")] + [
            (course.pk, f"{course.code} — {course.title} ({self.seats_label(course.seats_left)})")
            for course in available
        ]
        menu.full = frozenset(course.pk for course in available if not course.seats_left)

    @staticmethod
    def seats_label(seats):
        return f"{seats} seat{'s' if seats != 1 else ''} left" if seats else "full"
