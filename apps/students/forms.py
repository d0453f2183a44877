from django import forms
from django.db.models import Count
from django.utils import timezone

from . import rules
from .models import Course, Student


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class StudentForm(forms.ModelForm):
    class Meta:
        model = Student
        fields = ["first_name", "last_name", "email", "date_of_birth", "status", "enrolled_on", "notes"]
        widgets = {
            "date_of_birth": DateInput(),
            "enrolled_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"date_of_birth": "Optional, YYYY-MM-DD."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["enrolled_on"].initial = timezone.localdate

    def clean_email(self):
        email = self.cleaned_data["email"]
        rules.validate_unique_student_email(email, self.instance)
        return email


class CourseForm(forms.ModelForm):
    # The model field's own form field allows 0 and tells a negative number
    # "greater than or equal to 0"; every refusal should name the real minimum.
    capacity = forms.IntegerField(min_value=1, help_text=Course._meta.get_field("capacity").help_text)

    class Meta:
        model = Course
        fields = ["code", "title", "capacity", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def clean_code(self):
        return rules.normalise_course_code(self.cleaned_data["code"])

    def clean_capacity(self):
        capacity = self.cleaned_data["capacity"]
        rules.validate_capacity(self.instance, capacity)
        return capacity


class EnrollForm(forms.Form):
    course = forms.ModelChoiceField(
        queryset=Course.objects.all(),
        empty_label="Choose a course",
        error_messages={"invalid_choice": "That course does not exist.", "required": "Choose a course."},
    )

    def __init__(self, *args, student=None, **kwargs):
        super().__init__(*args, **kwargs)
        if student is not None and not self.is_bound:
            # The menu offers the courses the student is not in yet, with the
            # seats left; any existing course still validates, so a duplicate
            # or full course gets the service's own clear refusal.
            available = (
                Course.objects.exclude(enrollments__student=student)
                .annotate(enrolled_count=Count("enrollments"))
                .order_by("code")
            )
            self.fields["course"].widget.choices = [("", "Choose a course")] + [
                (course.pk, f"{course.code} — {course.title} ({course.capacity - course.enrolled_count} seats left)")
                for course in available
            ]
