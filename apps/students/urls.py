"""Two URL namespaces: `students:` and `courses:` (see SPEC.md)."""

from django.urls import path

from . import views

student_patterns = (
    [
        path("", views.StudentListView.as_view(), name="list"),
        path("new/", views.StudentCreateView.as_view(), name="create"),
        path("export.csv", views.StudentExportView.as_view(), name="export"),
        path("<int:pk>/", views.StudentDetailView.as_view(), name="detail"),
        path("<int:pk>/edit/", views.StudentUpdateView.as_view(), name="update"),
        path("<int:pk>/delete/", views.StudentDeleteView.as_view(), name="delete"),
        path("<int:pk>/enroll/", views.StudentEnrollView.as_view(), name="enroll"),
        path(
            "<int:pk>/enrollments/<int:enrollment_pk>/delete/",
            views.StudentUnenrollView.as_view(),
            name="unenroll",
        ),
    ],
    "students",
)

course_patterns = (
    [
        path("", views.CourseListView.as_view(), name="list"),
        path("new/", views.CourseCreateView.as_view(), name="create"),
        path("<int:pk>/", views.CourseDetailView.as_view(), name="detail"),
        path("<int:pk>/edit/", views.CourseUpdateView.as_view(), name="update"),
        path("<int:pk>/delete/", views.CourseDeleteView.as_view(), name="delete"),
    ],
    "courses",
)
