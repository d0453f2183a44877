"""The admin keeps every rule the site keeps.

Students and courses are written through the same services as the site, with
the same forms: only the fields changed, onto the record as saved then, with
the rules, the row lock and the audit line; a field somebody else changed
meanwhile is shown beside what was typed, and a post without the form's hidden
field is read against the form the session was shown. Enrollments are made on
the site (where the capacity is checked under the course's lock): the admin
shows them (on the student's page, as text) and removes them through the service.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join

from . import services
from .forms import CourseForm, OpenedForms, StudentForm
from .models import Course, Enrollment, Student


class RecordAdmin(admin.ModelAdmin):
    """A model admin whose writes are the model's services (services.WRITES)."""

    @property
    def writes(self):
        return services.WRITES[self.model]

    def save_model(self, request, obj, form, change):
        if change:
            saved = self.writes.update(obj, actor=request.user, opened=form.opened_values(), **form.changes())
        else:
            saved = self.writes.create(actor=request.user, **form.record_fields())
        obj.pk = saved.pk
        obj.refresh_from_db()  # the admin's message and history name the record as saved
        request.kept_from_others = form.kept_from_others(obj)

    def response_change(self, request, obj):
        response = super().response_change(request, obj)
        if request.kept_from_others:  # after the admin's "was changed successfully"
            messages.success(request, request.kept_from_others)
        return response

    def delete_model(self, request, obj):
        self.writes.delete(obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for record in queryset:
            self.writes.delete(record, actor=request.user)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if object_id is not None and request.method == "POST":
            request.POST = OpenedForms(request, self.model, object_id).fill_in(request.POST)
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (services.EditConflict, ValidationError) as refusal:
            # What only the write found out (a colleague's change to a field this
            # user changed too, a rule broken meanwhile): nothing was written, and
            # the same form comes back with it, like any other error.
            request.write_refused = refusal
            return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if change:
            OpenedForms(request, self.model, obj.pk).remember(context["adminform"].form["opened"].value())
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        refusal = getattr(request, "write_refused", None)
        if refusal is None:
            return form_class

        class RefusedForm(form_class):
            def clean(self):
                cleaned_data = super().clean()
                self.show_refusal(refusal)
                return cleaned_data

        return RefusedForm


@admin.register(Student)
class StudentAdmin(RecordAdmin):
    form = StudentForm
    list_display = ("student_number", "last_name", "first_name", "email", "status", "enrolled_on")
    list_filter = ("status", "enrolled_on")
    search_fields = ("student_number", "first_name", "last_name", "email")
    # The courses are shown, not a form of them: a form would go stale (and refuse every
    # Save) when a colleague unenrolled the student while the page was open.
    readonly_fields = ("student_number", "courses", "created_at", "updated_at")

    @admin.display(description="Enrolled in")
    def courses(self, student):
        enrollments = student.enrollments.select_related("course").order_by("course__code")
        items = format_html_join(
            "",
            "<li>{} (since {})</li>",
            ((e.course, date_format(timezone.localdate(e.enrolled_at))) for e in enrollments),
        )
        return format_html("<ul>{}</ul>", items) if items else "No courses"


@admin.register(Course)
class CourseAdmin(RecordAdmin):
    form = CourseForm
    list_display = ("code", "title", "capacity")
    search_fields = ("code", "title")

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except services.CourseInUse as refusal:  # pragma: no cover - a race: enrolled after the admin looked
            # The service locks the course as every enrollment does, and found one there.
            messages.error(request, str(refusal))
            return redirect("admin:students_course_change", object_id)


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ("student", "course", "enrolled_at")
    list_filter = ("course",)
    search_fields = ("student__last_name", "student__email", "course__code")
    list_select_related = ("student", "course")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        services.unenroll(enrollment=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for enrollment in queryset:
            services.unenroll(enrollment=enrollment, actor=request.user)
