from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Prefetch
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from project.converters import RECORD_ID_REGEX

from .. import services
from ..filters import StudentFilter
from ..models import Course, Enrollment, Student
from .schema import ApiSchema, bad_request, error
from .serializers import (
    CourseSerializer,
    EnrollmentSerializer,
    StudentSerializer,
    TokenRequestSerializer,
    TokenSerializer,
)


class RecordPagination(PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100


class ApiView:
    """Every API view answers 401/403 itself, so the site's login redirect stays out."""

    schema = ApiSchema()

    @classmethod
    def as_view(cls, *args, **kwargs):
        return login_not_required(super().as_view(*args, **kwargs))


class RecordViewSet(ApiView, viewsets.ModelViewSet):
    """Shared by students and courses: 201 + Location, audit log lines."""

    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    lookup_value_regex = RECORD_ID_REGEX
    pagination_class = RecordPagination

    def perform_create(self, serializer):
        record = serializer.save()
        services.log_change(record._meta.model_name, "created", record, self.request.user)

    def perform_update(self, serializer):
        record = serializer.save()
        services.log_change(record._meta.model_name, "updated", record, self.request.user)

    def perform_destroy(self, instance):
        pk = instance.pk
        instance.delete()
        services.log_change(instance._meta.model_name, "deleted", instance, self.request.user, pk=pk)

    def create(self, request, *args, **kwargs):
        response = super().create(request, *args, **kwargs)
        response["Location"] = str(response.data["url"])
        return response


class StudentViewSet(RecordViewSet):
    """Student records. The list is paginated and takes `q` (name, email or student
    number), `status`, `course` (a course code) and `ordering`."""

    serializer_class = StudentSerializer
    filterset_class = StudentFilter
    ordering_fields = ["last_name", "first_name", "email", "enrolled_on", "student_number", "status", "id"]
    ordering = ["last_name", "first_name", "id"]

    def get_queryset(self):
        return Student.objects.prefetch_related(
            Prefetch("enrollments", queryset=Enrollment.objects.select_related("course").order_by("course__code"))
        )


class CourseViewSet(RecordViewSet):
    """Courses with their enrollment count and seats left. A course that still has
    enrolled students cannot be deleted (409)."""

    serializer_class = CourseSerializer
    ordering_fields = ["code", "title", "capacity"]
    ordering = ["code"]

    def get_queryset(self):
        return Course.objects.annotate(enrolled_count=Count("enrollments"))

    def perform_create(self, serializer):
        super().perform_create(serializer)
        self._reload_with_counts(serializer)

    def perform_update(self, serializer):
        super().perform_update(serializer)
        self._reload_with_counts(serializer)

    def _reload_with_counts(self, serializer):
        # The answer shows the saved course with its enrollment count.
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    @extend_schema(responses={204: None, 409: error("The course still has enrolled students.")})
    def destroy(self, request, *args, **kwargs):
        course = self.get_object()
        try:
            services.delete_course(course, actor=request.user)
        except services.CourseInUse as refusal:
            return Response({"detail": str(refusal)}, status=status.HTTP_409_CONFLICT)
        return Response(status=status.HTTP_204_NO_CONTENT)


class EnrollmentViewSet(ApiView, mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """Enroll a student in a course (refused when the course is full or the student
    is already in it), or unenroll them."""

    serializer_class = EnrollmentSerializer
    queryset = Enrollment.objects.select_related("course", "student")
    lookup_value_regex = RECORD_ID_REGEX

    def perform_create(self, serializer):
        try:
            serializer.instance = services.enroll(
                serializer.validated_data["student"], serializer.validated_data["course"], actor=self.request.user
            )
        except services.EnrollmentRefused as refusal:
            raise ValidationError({"course": [str(refusal)]}) from refusal

    def create(self, request, *args, **kwargs):
        response = super().create(request, *args, **kwargs)
        response["Location"] = request.build_absolute_uri(f"{request.path}{response.data['id']}/")
        return response

    def perform_destroy(self, instance):
        services.unenroll(instance, actor=self.request.user)


@extend_schema_view(
    post=extend_schema(
        request=TokenRequestSerializer,
        responses={200: TokenSerializer, 400: bad_request("Wrong username/email or password, or malformed JSON.")},
    )
)
class TokenView(ApiView, ObtainAuthToken):
    """Trade a username (or email) and password for the API token."""

    # Open to anybody: a stale `Authorization` header or a browser session must
    # not get in the way (401 "Invalid token.", 403 "CSRF Failed").
    authentication_classes = []
    parser_classes = [JSONParser]
    serializer_class = AuthTokenSerializer
    renderer_classes = ObtainAuthToken.renderer_classes


@csrf_exempt
@login_not_required
def unknown_endpoint(request, path):
    """Any other path under /api/ (`/api/students/abc/`): a JSON 404, not the site's page."""
    return JsonResponse({"detail": "Not found."}, status=404)
