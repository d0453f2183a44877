from copy import copy

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from project.validators import messages_given

from ..models import Course, Enrollment, Student


class RecordSerializer(serializers.ModelSerializer):
    """A model serializer whose fields say what the model's fields say (the same words as the forms)."""

    def build_standard_field(self, field_name, model_field):
        field_class, field_kwargs = super().build_standard_field(field_name, model_field)
        messages = messages_given(model_field)
        if "blank" in messages:
            # Missing, empty or null: the model says it once, as `blank`.
            messages.update(required=messages["blank"], null=messages["blank"])
        field_kwargs["error_messages"] = messages
        return field_class, field_kwargs


class StudentSerializer(RecordSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:student-detail")
    age = serializers.IntegerField(read_only=True, allow_null=True)
    courses = serializers.SerializerMethodField()

    class Meta:
        model = Student
        fields = [
            "id",
            "url",
            "student_number",
            "first_name",
            "last_name",
            "email",
            "date_of_birth",
            "age",
            "status",
            "enrolled_on",
            "notes",
            "courses",
        ]
        read_only_fields = ["student_number"]

    def get_courses(self, student) -> list[str]:
        # Uses the view's prefetch: no query per student.
        return [enrollment.course.code for enrollment in student.enrollments.all()]

    def validate_email(self, email):
        # The model's rule (a unique constraint on the email in lower case), checked with the
        # other fields so that a taken email is reported together with them.
        student = copy(self.instance) if self.instance is not None else Student()
        student.email = email
        try:
            student.validate_constraints()
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error
        return email


class CourseSerializer(RecordSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:course-detail")
    enrolled_count = serializers.IntegerField(read_only=True)
    seats_left = serializers.IntegerField(read_only=True)

    class Meta:
        model = Course
        fields = ["id", "url", "code", "title", "capacity", "description", "enrolled_count", "seats_left"]


class RecordIdField(serializers.PrimaryKeyRelatedField):
    """The id of a record: a whole number, or its digits as a string.

    DRF hands any other JSON value to the database lookup as is, where 1.5
    silently meant record 1 and 1e309 (infinity) crashed with a 500.
    """

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)


class EnrollmentSerializer(serializers.ModelSerializer):
    student = RecordIdField(queryset=Student.objects.all())
    course = RecordIdField(queryset=Course.objects.all())
    course_code = serializers.CharField(source="course.code", read_only=True)

    class Meta:
        model = Enrollment
        fields = ["id", "student", "course", "course_code", "enrolled_at"]
        read_only_fields = ["enrolled_at"]
        # The enrollment service reports duplicates with its own message.
        validators = []
