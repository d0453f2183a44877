from concurrency.admin import ConcurrentModelAdmin
from django.contrib import admin

from .models import Course, Enrollment, Student


class EnrollmentInline(admin.TabularInline):
    model = Enrollment
    extra = 0
    autocomplete_fields = ["course"]


# Students and courses carry a version: the admin's change form refuses to
# save over somebody else's newer save, like the site's own forms.


@admin.register(Student)
class StudentAdmin(ConcurrentModelAdmin):
    list_display = ("student_number", "last_name", "first_name", "email", "status", "enrolled_on")
    list_filter = ("status", "enrolled_on")
    search_fields = ("student_number", "first_name", "last_name", "email")
    readonly_fields = ("student_number", "created_at", "updated_at")
    inlines = [EnrollmentInline]


@admin.register(Course)
class CourseAdmin(ConcurrentModelAdmin):
    list_display = ("code", "title", "capacity")
    search_fields = ("code", "title")


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ("student", "course", "enrolled_at")
    list_filter = ("course",)
    search_fields = ("student__last_name", "student__email", "course__code")
    autocomplete_fields = ["student", "course"]
    list_select_related = ("student", "course")
