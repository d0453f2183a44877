from django.utils.cache import parse_etags
from django.utils.http import quote_etag
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from project.api.errors import PreconditionFailed
from project.api.schema import error
from project.api.views import ApiView
from project.converters import RECORD_ID_REGEX

from .. import services
from ..filters import COURSE_SORTS, DEFAULT_COURSE_SORT, DEFAULT_SORT, STUDENT_SORTS, StudentFilter
from ..models import Enrollment
from ..selectors import courses_with_counts, students_with_courses
from .serializers import CourseSerializer, EnrollmentSerializer, StudentSerializer


def etag_for(record):
    """A student's or course's ETag: its version, raised by every save."""
    return quote_etag(str(record.version))


class RecordViewSet(ApiView, viewsets.ModelViewSet):
    """Shared by students and courses: 201 + Location (DRF names the new record's `url`); `ETag` on a record and
    `If-Match` honoured by the writes (412 when it names an older version).

    Every write is the model's service (services.WRITES); the answer shows the record as
    the list shows it (`get_queryset`: a student's courses, a course's counts).
    """

    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    lookup_value_regex = RECORD_ID_REGEX
    conditional_writes = True  # documented by ApiSchema

    def retrieve(self, request, *args, **kwargs):
        record = self.get_object()
        return Response(self.get_serializer(record).data, headers={"ETag": etag_for(record)})

    def update(self, request, **kwargs):  # PATCH arrives from partial_update with partial=True
        response = super().update(request, **kwargs)
        response["ETag"] = etag_for(self.saved_record)
        return response

    @property
    def writes(self):
        return services.WRITES[self.get_queryset().model]

    def as_listed(self, record):
        return self.get_queryset().get(pk=record.pk)

    def perform_create(self, serializer):
        serializer.instance = self.as_listed(self.writes.create(actor=self.request.user, **serializer.validated_data))

    def perform_update(self, serializer):
        record = serializer.instance
        version = self.if_match_version(record)
        saved = self.writes.update(record, actor=self.request.user, version=version, **serializer.validated_data)
        self.saved_record = serializer.instance = self.as_listed(saved)

    def perform_destroy(self, instance):
        self.writes.delete(instance, actor=self.request.user, version=self.if_match_version(instance))

    def handle_exception(self, exc):
        if not isinstance(exc, services.StaleRecord):
            return super().handle_exception(exc)
        # If-Match named an older version (or one saved meanwhile): the 412 names the saved one.
        response = super().handle_exception(PreconditionFailed(exc.message))
        response["ETag"] = etag_for(exc.current)
        return response

    def if_match_version(self, record):
        """The version `If-Match` names, for the service to write over only that one
        (StaleRecord, i.e. 412, when it is not the record's); None without If-Match."""
        header = self.request.headers.get("If-Match")
        if header is None:
            return None
        etags = parse_etags(header)
        if "*" not in etags and etag_for(record) not in etags:
            raise services.StaleRecord(current=record)
        return record.version


class StudentViewSet(RecordViewSet):
    """Student records. The list is paginated and takes `q` (name, email or student
    number), `status`, `course` (a course code) and `sort`, as the student list page does."""

    serializer_class = StudentSerializer
    filterset_class = StudentFilter
    sorts, default_sort = STUDENT_SORTS, DEFAULT_SORT

    def get_queryset(self):
        return students_with_courses()


class CourseViewSet(RecordViewSet):
    """Courses with their enrollment count and seats left. A course that still has
    enrolled students cannot be deleted (409)."""

    serializer_class = CourseSerializer
    sorts, default_sort = COURSE_SORTS, DEFAULT_COURSE_SORT

    def get_queryset(self):
        return courses_with_counts()

    @extend_schema(responses={204: None, 409: error("The course still has enrolled students.")})
    def destroy(self, request, *args, **kwargs):
        try:
            return super().destroy(request, *args, **kwargs)
        except services.CourseInUse as refusal:
            return Response({"detail": str(refusal)}, status=status.HTTP_409_CONFLICT)


class EnrollmentViewSet(ApiView, mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """Enroll a student in a course (refused when the course is full or the student
    is already in it), or unenroll them."""

    serializer_class = EnrollmentSerializer
    queryset = Enrollment.objects.select_related("course", "student")
    lookup_value_regex = RECORD_ID_REGEX

    def perform_create(self, serializer):
        try:
            serializer.instance = services.enroll(
                student=serializer.validated_data["student"],
                course=serializer.validated_data["course"],
                actor=self.request.user,
            )
        except services.EnrollmentRefused as refusal:
            raise ValidationError({"course": [str(refusal)]}) from refusal

    def create(self, request):  # the list's URL passes nothing else
        response = super().create(request)
        response["Location"] = request.build_absolute_uri(f"{request.path}{response.data['id']}/")
        return response

    def perform_destroy(self, instance):
        services.unenroll(enrollment=instance, actor=self.request.user)
