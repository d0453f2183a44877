import json
from contextlib import suppress

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder

from project.validators import messages_given

from .models import Course, Student
from .selectors import courses_with_counts
from .services import EditConflict, StaleRecord

# Dates are typed as every page shows them: 2008-12-10. (A browser's date picker would
# show them in the browser's own order instead, 12/10/2008 in the United States.)
ISO_DATE = "%Y-%m-%d"


class SnapshotSerializer:
    """JSON for django.core.signing that also holds dates (what a record's fields hold)."""

    def dumps(self, obj):
        return json.dumps(obj, cls=DjangoJSONEncoder, separators=(",", ":")).encode("latin-1")

    def loads(self, data):
        return json.loads(data.decode("latin-1"))


class RecordForm(forms.ModelForm):
    """A student or course form.

    An edit form carries, in a hidden signed field, what its user opened: the
    record's version and the value of every field it showed. Saving writes only
    the fields the user changed (`changes()`) onto the record as saved then; the
    service refuses (EditConflict) when somebody else changed one of those
    meanwhile, and the form comes back showing what is saved now beside what
    was typed (`show_conflict`). A post without it is read against the form the
    session was last shown of the record (`OpenedForms`); a post with neither
    (no page was opened) writes every field that differs from the record as saved.
    """

    opened = forms.CharField(widget=forms.HiddenInput, required=False)
    SNAPSHOT_SALT = "students.record-form.opened"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The record's own fields on this form (the admin adds its read-only ones to Meta.fields).
        editable = {field.name: field for field in self._meta.model._meta.concrete_fields if field.editable}
        self.record_field_names = [name for name in self.fields if name in editable]
        for name in self.record_field_names:
            # The model's words for each check; what it says of an empty value, a form says of a missing one.
            messages = messages_given(editable[name])
            if "blank" in messages:
                messages["required"] = messages.pop("blank")
            self.fields[name].error_messages.update(messages)
        self.snapshot = None
        if not self.is_bound:
            if self.instance.pk:
                self.initial["opened"] = self.snapshot_of(self.instance)
        elif token := self.data.get(self.add_prefix("opened")):
            self.initial["opened"] = token  # sent back as it came: not a change of the user's
            with suppress(signing.BadSignature):
                self.snapshot = signing.loads(token, salt=self.SNAPSHOT_SALT, serializer=SnapshotSerializer)
            if self.snapshot is not None:
                # What the user saw: changed_data compares what they typed with it.
                model = self._meta.model
                self.initial.update(
                    (name, model._meta.get_field(name).to_python(value)) for name, value in self.snapshot.items()
                )

    def clean(self):
        if self.data.get(self.add_prefix("opened")) and self.snapshot is None:
            raise ValidationError("This form was damaged on the way. Open the record again and make your changes.")
        return super().clean()

    def _post_clean(self):
        if self.instance.pk is not None:
            # An edit writes what its user changed onto the record as saved now (the instance):
            # the model's rules check that, not the form's old copy of the other fields (a
            # capacity a colleague has raised since, with the seats taken since, say).
            for name in self.record_field_names:
                if name not in self.changed_data:
                    self.cleaned_data.pop(name, None)
        super()._post_clean()

    def snapshot_of(self, record):
        """What this form shows of `record`, signed, for the hidden field."""
        values = {name: getattr(record, name) for name in self.record_field_names}
        return signing.dumps(values, salt=self.SNAPSHOT_SALT, serializer=SnapshotSerializer)

    def record_fields(self):
        """Every cleaned value (a new record)."""
        return {name: self.cleaned_data[name] for name in self.record_field_names}

    def changes(self):
        """The values the user changed since opening the record."""
        return {name: self.cleaned_data[name] for name in self.changed_data if name in self.record_field_names}

    def opened_values(self):
        """What the user saw of each field they changed (None without a snapshot)."""
        if self.snapshot is None:
            return None
        return {name: self.initial[name] for name in self.changes()}

    def kept_from_others(self, saved):
        """What a save's message adds when `saved` kept fields somebody else changed meanwhile
        ("" when nobody did)."""
        if self.snapshot is None:
            return ""
        changed = self.changes()
        kept = [
            self[name].label
            for name in self.record_field_names
            if name not in changed and getattr(saved, name) != self.initial[name]
        ]
        return f"What someone else saved meanwhile was kept: {join_words(kept)}." if kept else ""

    def show_refusal(self, refusal):
        """What only the write found out: a rule broken by a record saved at the same moment
        (a ValidationError), or a colleague's change to a field this user changed too (EditConflict)."""
        if isinstance(refusal, EditConflict):
            self.show_conflict(refusal)
        else:
            self.add_error(None, refusal)

    def show_conflict(self, conflict):
        """Somebody else changed fields this user changed: say which, show what is
        saved now beside what was typed, and let a second Save write the typed values
        of those fields knowingly. Every other field now shows what is saved."""
        current = conflict.current
        labels = [str(self[name].label) for name in conflict.fields]
        self.add_error(None, StaleRecord.message)
        self.add_error(
            None,
            f"You both changed {join_words(labels)}: save again to keep what you typed there. "
            "Every other field now shows what is saved.",
        )
        for name in conflict.fields:
            self.add_error(name, self.saved_meanwhile(current, name))
        typed = self.changed_data
        data = self.data.copy()
        for name in self.record_field_names:
            if name not in typed:
                value = getattr(current, name)
                data[self.add_prefix(name)] = "" if value is None else str(self.fields[name].prepare_value(value))
        data[self.add_prefix("opened")] = self.snapshot_of(current)
        self.data = data

    @staticmethod
    def saved_meanwhile(record, name):
        display = getattr(record, f"get_{name}_display", None)
        value = display() if display else getattr(record, name)
        if value in (None, ""):
            return "Someone else emptied this field meanwhile."
        return f"Someone else saved “{value}” here meanwhile."


class OpenedForms:
    """The edit form this session was last shown of each record, as its hidden field holds it.

    A browser sends the hidden field back; a client that posts only the record's
    fields (a script, a test client) does not. Its post is read against the form
    the session showed, so it too never undoes a colleague's work.
    """

    SESSION_KEY = "students.opened_forms"
    KEPT = 20  # records; the one shown longest ago is forgotten first

    def __init__(self, request, model, pk):
        self.session = request.session
        self.record = f"{model._meta.label_lower}:{pk}"

    def remember(self, token):
        shown = {key: value for key, value in self.session.get(self.SESSION_KEY, {}).items() if key != self.record}
        shown[self.record] = token
        self.session[self.SESSION_KEY] = dict(list(shown.items())[-self.KEPT :])

    def fill_in(self, data):
        """`data`, with the hidden field the session remembers when the post left it out."""
        remembered = self.session.get(self.SESSION_KEY, {}).get(self.record)
        if data.get("opened") or remembered is None:
            return data
        data = data.copy()
        data["opened"] = remembered
        return data


def join_words(words):
    """ "A", "A and B", "A, B and C"."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


class StudentForm(RecordForm):
    # A new student's enrolled_on starts as today: the model field's default does it.

    class Meta:
        model = Student
        fields = ["first_name", "last_name", "email", "date_of_birth", "status", "enrolled_on", "notes"]
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
    class Meta:
        model = Course
        fields = ["code", "title", "capacity", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The number box's arrows stop where the rule does (at least 1 seat), not at 0.
        self.fields["capacity"].widget.attrs["min"] = 1


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
        available = courses_with_counts().exclude(enrollments__student=student)
        menu = self.fields["course"].widget
        menu.choices = [("", "Choose a course")] + [
            (course.pk, f"{course.code} — {course.title} ({self.seats_label(course.seats_left)})")
            for course in available
        ]
        menu.full = frozenset(course.pk for course in available if not course.seats_left)

    @staticmethod
    def seats_label(seats):
        return f"{seats} seat{'s' if seats != 1 else ''} left" if seats else "full"
