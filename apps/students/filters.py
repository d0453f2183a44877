"""One search/filter/sort definition for the list page, the CSV export and the API."""

import django_filters
from django.db.models import Q

from .models import Student

# `sort` values the list accepts, each with tie-breakers for a stable order.
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


def sort_students(queryset, sort):
    """Order by a known `sort` value; anything else falls back to the default."""
    return queryset.order_by(*STUDENT_SORTS.get(sort, STUDENT_SORTS[DEFAULT_SORT]))


class StudentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search", max_length=200)
    status = django_filters.ChoiceFilter(choices=Student.Status.choices, empty_label="Any status")
    course = django_filters.CharFilter(method="in_course", label="Course code", max_length=20)

    class Meta:
        model = Student
        fields = ["q", "status", "course"]

    def search(self, queryset, name, value):
        """Every word must match a name, the email or the student number."""
        for word in value.split():
            queryset = queryset.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
                | Q(student_number__iexact=word)
            )
        return queryset

    def in_course(self, queryset, name, value):
        return queryset.filter(enrollments__course__code=value.strip().upper())
