from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from . import views

app_name = "api"

router = SimpleRouter()
router.register("students", views.StudentViewSet, basename="student")
router.register("courses", views.CourseViewSet, basename="course")
router.register("enrollments", views.EnrollmentViewSet, basename="enrollment")

urlpatterns = [
    path("token/", views.TokenView.as_view(), name="token"),
    *router.urls,
    # Last: what no route above matched. Only paths ending in "/", so that
    # `/api/students` is still redirected to `/api/students/`.
    re_path(r"^(?P<path>(?s:.*))/$", views.unknown_endpoint, name="unknown"),
]
