"""One search/filter/sort definition for the list page, the CSV export and the API."""

import re
import unicodedata

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from project.sorting import order_columns

from .models import Student, searchable

# A student number as people type it: with or without the S, any leading zeros.
STUDENT_NUMBER = re.compile(r"[sS]?0*(\d{1,9})")

# `sort` values the student list takes (the page, the export and the API), each with
# tie-breakers for a stable order.
STUDENT_SORTS = {
    "last_name": ("last_name", "first_name", "id"),
    "-last_name": ("-last_name", "-first_name", "-id"),
    "first_name": ("first_name", "last_name", "id"),
    "-first_name": ("-first_name", "-last_name", "-id"),
    "enrolled_on": ("enrolled_on", "id"),
    "-enrolled_on": ("-enrolled_on", "-id"),
    "student_number": ("student_number",),
    "-student_number": ("-student_number",),
    "status": ("status", "last_name", "first_name", "id"),
    "-status": ("-status", "last_name", "first_name", "id"),
}
DEFAULT_SORT = "last_name"
# What the Sort menu says for each value.
SORT_LABELS = {
    "last_name": "Last name, A to Z",
    "-last_name": "Last name, Z to A",
    "first_name": "First name, A to Z",
    "-first_name": "First name, Z to A",
    "enrolled_on": "Enrolled on, oldest first",
    "-enrolled_on": "Enrolled on, newest first",
    "student_number": "Student number, lowest first",
    "-student_number": "Student number, highest first",
    "status": "Status, A to Z",
    "-status": "Status, Z to A",
}

# `sort` values the courses API takes (the course list page is always by code).
COURSE_SORTS = {
    "code": ("code",),
    "-code": ("-code",),
    "title": ("title", "code"),
    "-title": ("-title", "-code"),
    "capacity": ("capacity", "code"),
    "-capacity": ("-capacity", "-code"),
}
DEFAULT_COURSE_SORT = "code"


# Every word is one more condition on every row: a search stays this short.
MAX_SEARCH_WORDS = 10


def validate_search_words(value):
    words = len(value.split())
    if words > MAX_SEARCH_WORDS:
        raise ValidationError(f"Search for at most {MAX_SEARCH_WORDS} words (this search has {words}).")


def sort_students(queryset, sort):
    """Order by a known `sort` value; anything else falls back to the default."""
    return queryset.order_by(*order_columns(STUDENT_SORTS, [sort], DEFAULT_SORT))


class StudentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search",
        label="Search",
        max_length=200,
        validators=[validate_search_words],
        help_text=f"Name, email or student number. Up to {MAX_SEARCH_WORDS} words.",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = django_filters.ChoiceFilter(choices=Student.Status.choices, empty_label="Any status")
    # The course code field looks codes up in capitals, however they are typed.
    course = django_filters.CharFilter(field_name="enrollments__course__code", label="Course code", max_length=20)

    class Meta:
        model = Student
        fields = ["q", "status", "course"]

    def search(self, queryset, name, value):
        """Every word must match part of a name or the email (ignoring case and
        accents), or be the student number: `21`, `000021`, `s21`, `S000021`, typed
        in full-width letters and digits too."""
        for word in value.split():
            matches = Q(search_text__contains=searchable(word))
            if number := STUDENT_NUMBER.fullmatch(unicodedata.normalize("NFKC", word)):
                matches |= Q(student_number=Student.number_for(int(number[1])))
            queryset = queryset.filter(matches)
        return queryset
