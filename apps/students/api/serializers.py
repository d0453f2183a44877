from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from .. import rules
from ..models import Course, Enrollment, Student


class StudentSerializer(serializers.ModelSerializer):
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
        rules.validate_unique_student_email(email, self.instance)
        return email


class CourseSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:course-detail")
    code = serializers.CharField(
        max_length=20,
        # Codes are stored in capitals (the model field): compare regardless of case.
        validators=[
            UniqueValidator(
                queryset=Course.objects.all(), lookup="iexact", message="A course with this code already exists."
            )
        ],
    )
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


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(help_text="Username or email address.")
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)
