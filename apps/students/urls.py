"""The students' pages under `/students/` (namespace `students:`), the courses' under `/courses/` (`courses:`)."""

from django.urls import include, path

from . import views

student_patterns = [
    path("", views.StudentListView.as_view(), name="list"),
    path("new/", views.StudentCreateView.as_view(), name="create"),
    path("export.csv", views.StudentExportView.as_view(), name="export"),
    path("<id:pk>/", views.StudentDetailView.as_view(), name="detail"),
    path("<id:pk>/edit/", views.StudentUpdateView.as_view(), name="update"),
    path("<id:pk>/delete/", views.StudentDeleteView.as_view(), name="delete"),
    path("<id:pk>/enroll/", views.StudentEnrollView.as_view(), name="enroll"),
    path(
        "<id:pk>/enrollments/<id:enrollment_pk>/delete/",
        views.StudentUnenrollView.as_view(),
        name="unenroll",
    ),
]

course_patterns = [
    path("", views.CourseListView.as_view(), name="list"),
    path("new/", views.CourseCreateView.as_view(), name="create"),
    path("<id:pk>/", views.CourseDetailView.as_view(), name="detail"),
    path("<id:pk>/roster.csv", views.CourseRosterExportView.as_view(), name="roster_export"),
    path("<id:pk>/edit/", views.CourseUpdateView.as_view(), name="update"),
    path("<id:pk>/delete/", views.CourseDeleteView.as_view(), name="delete"),
]

urlpatterns = [
    path("students/", include((student_patterns, "students"))),
    path("courses/", include((course_patterns, "courses"))),
]
