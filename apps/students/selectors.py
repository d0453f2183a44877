"""The reads the pages, the CSV exports and the API share, each query written once.

Writes are services (services.py); a selector only reads, so it runs in
autocommit and never waits for the write lock.
"""

from django.db.models import Count, Prefetch

from .filters import StudentFilter, sort_students
from .models import Course, Enrollment, Student


def students_with_courses(students=None):
    """`students` (every student by default), each with their enrollments and courses by code,
    fetched in one more query for them all."""
    students = Student.objects.all() if students is None else students
    return students.prefetch_related(
        Prefetch("enrollments", queryset=Enrollment.objects.select_related("course").order_by("course__code"))
    )


def filtered_students(params):
    """The student filter of these query parameters (`q`, `status`, `course`) and the
    students it finds in the order `sort` names: what the list page and the export show."""
    student_filter = StudentFilter(params)  # over all students
    if student_filter.form["q"].errors:  # a search that cannot run finds nobody, rather than everybody
        return student_filter, Student.objects.none()
    return student_filter, sort_students(student_filter.qs, params.get("sort"))


def courses_with_counts():
    """Every course with its `enrolled_count` (which `seats_left` reads), by code."""
    # Django drops Meta.ordering from GROUP BY queries: order explicitly, or
    # PostgreSQL lists the courses in whatever order the aggregate left them.
    return Course.objects.annotate(enrolled_count=Count("enrollments")).order_by("code")


def roster_of(course):
    """The course's enrollments with their students, by name."""
    return (
        Enrollment.objects.filter(course=course)
        .select_related("student")
        .order_by("student__last_name", "student__first_name", "student_id")
    )
