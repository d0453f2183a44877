import copy
import csv
import logging
from contextlib import suppress

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views import View
from django.views.generic import CreateView, DeleteView, DetailView, ListView, UpdateView
from django.views.generic.detail import SingleObjectMixin

from project.views import AddressOfAForm

from . import services
from .filters import DEFAULT_SORT, SORT_LABELS, STUDENT_SORTS
from .forms import CourseForm, EnrollForm, OpenedForms, StudentForm
from .models import Course, Enrollment, Student
from .selectors import courses_with_counts, filtered_students, roster_of, students_with_courses

logger = logging.getLogger("apps.students")


class RecordPermissionMixin(PermissionRequiredMixin):
    """Signed-in users without the model permission get the friendly 403 page.

    (Anonymous visitors never get this far: LoginRequiredMiddleware sends them
    to the login page first.)
    """

    raise_exception = True


class RecordFormMixin:
    """The form checks the input, `save(form)` calls the service that writes it,
    then POST-redirect-GET with a message naming the record.

    What only the write can find out (a clash with a record saved at the same
    moment, a colleague's change to a field this user changed too) re-renders
    the form like any other error; an edit of a record deleted meanwhile keeps
    what was typed in the form that adds it anew (`record_gone`).
    """

    success_message = ""

    def opened_forms(self):
        return OpenedForms(self.request, self.model, self.kwargs["pk"])

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.object is not None and "data" in kwargs:
            kwargs["data"] = self.opened_forms().fill_in(kwargs["data"])
            # Checking the form writes what was typed onto its instance: the page's title and
            # heading go on naming the record as it is saved, not as the refused form had it.
            kwargs["instance"] = copy.copy(self.object)
        return kwargs

    def render_to_response(self, context, **response_kwargs):
        if self.object is not None:
            self.opened_forms().remember(context["form"]["opened"].value())
        return super().render_to_response(context, **response_kwargs)

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except Http404:  # only an edit looks a record up
            if not self.opened_forms().fill_in(request.POST).get("opened"):
                raise  # no form of it was ever opened here: a plain "not found"
            return self.record_gone()

    def record_gone(self):
        """An edit posted after someone deleted the record: a 404 that saves nothing
        and keeps what the user typed, in the form that adds it as a new record."""
        fields = self.form_class._meta.fields
        typed = {name: value for name, value in self.request.POST.items() if name in fields}
        kind, section = self.model._meta.verbose_name, self.request.resolver_match.namespace
        context = {
            "kind": kind,
            "form": self.form_class(initial=typed),
            "form_id": f"{kind}-form",
            "add_url": reverse(f"{section}:create"),
            "list_url": reverse(f"{section}:list"),
        }
        return TemplateResponse(self.request, "record_gone.html", context, status=404)

    def save(self, form):
        """The model's service writes the form: a new record whole, an edit as the changes its user made."""
        writes, actor = services.WRITES[self.model], self.request.user
        if self.object is None:
            return writes.create(actor=actor, **form.record_fields())
        return writes.update(self.object, actor=actor, opened=form.opened_values(), **form.changes())

    def form_valid(self, form):
        editing = self.object is not None
        try:
            self.object = self.save(form)
        except (ValidationError, services.EditConflict) as refusal:
            form.show_refusal(refusal)
            return self.form_invalid(form)
        if editing:  # what the user typed is now what they have open
            self.opened_forms().remember(form.snapshot_of(self.object))
        message = self.success_message.format(record=self.object)
        if kept := form.kept_from_others(self.object):
            message += f" {kept}"
        messages.success(self.request, message)
        return redirect(self.get_success_url())


def page_of(records, number):
    """One page of `records`; a bad or out-of-range number shows the nearest page, never an error."""
    paginator = Paginator(records, settings.RECORDS_PER_PAGE)
    with suppress(TypeError, ValueError):  # not a number: get_page() shows the first page
        number = max(int(number), 1)  # get_page() alone would send page=0 to the last page
    page = paginator.get_page(number)
    page.numbers = paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    return page


# The list's column headings, and the `sort` each one orders by (Email does not sort).
COLUMNS = [("Number", "student_number"), ("Name", "last_name"), ("Email", None), ("Status", "status"),
           ("Enrolled on", "enrolled_on")]  # fmt: skip


def sortable_columns(sort):
    """Each heading with the sort its link asks for (the reverse of the current one) and its aria-sort."""
    columns = []
    for label, key in COLUMNS:
        direction = {key: "ascending", f"-{key}": "descending"}.get(sort)  # sort is always a known sort
        columns.append(
            {"label": label, "sort": f"-{key}" if direction == "ascending" else key, "direction": direction}
        )
    return columns


def applied_filters(student_filter, sort):
    """(label, value) for each filter the list applies and its order: what a printed list says it shows."""
    cleaned = student_filter.form.cleaned_data
    applied = [(label, cleaned[name]) for name, label in (("q", "Search"), ("course", "Course")) if cleaned.get(name)]
    if cleaned.get("status"):
        applied.append(("Status", Student.Status(cleaned["status"]).label))
    return [*applied, ("Sorted by", SORT_LABELS[sort])]


# -- students ---------------------------------------------------------------


class StudentListView(RecordPermissionMixin, ListView):
    permission_required = "students.view_student"
    template_name = "students/student_list.html"
    paginate_by = settings.RECORDS_PER_PAGE

    def get_queryset(self):
        self.filterset, students = filtered_students(self.request.GET)
        return students

    def paginate_queryset(self, queryset, page_size):
        page = page_of(queryset, self.request.GET.get("page"))
        return page.paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        sort = self.request.GET.get("sort")
        sort = sort if sort in STUDENT_SORTS else DEFAULT_SORT
        kwargs.update(
            filter=self.filterset,
            courses=Course.objects.only("code", "title"),
            sort=sort,
            sorts=SORT_LABELS,
            columns=sortable_columns(sort),
            filtered=any(self.request.GET.get(name) for name in ("q", "status", "course", "sort")),
            searched=any(self.request.GET.get(name) for name in ("q", "status", "course")),
            applied_filters=applied_filters(self.filterset, sort),
        )
        return super().get_context_data(**kwargs)


class StudentDetailView(RecordPermissionMixin, DetailView):
    permission_required = "students.view_student"
    model = Student

    def get_queryset(self):
        return students_with_courses()

    def get_context_data(self, **kwargs):
        kwargs.setdefault("enroll_form", EnrollForm(student=self.object))
        return super().get_context_data(**kwargs)


class StudentCreateView(RecordPermissionMixin, RecordFormMixin, CreateView):
    permission_required = "students.add_student"
    model = Student
    form_class = StudentForm
    success_message = "Added student {record}."


class StudentUpdateView(RecordPermissionMixin, RecordFormMixin, UpdateView):
    permission_required = "students.change_student"
    model = Student
    form_class = StudentForm
    success_message = "Saved changes to {record}."


class StudentDeleteView(RecordPermissionMixin, DeleteView):
    permission_required = "students.delete_student"
    model = Student
    success_url = reverse_lazy("students:list")

    def form_valid(self, form):
        services.student_delete(student=self.object, actor=self.request.user)
        messages.success(self.request, f"Deleted student {self.object}.")
        return redirect(self.success_url)


class StudentEnrollView(AddressOfAForm, StudentDetailView):
    """POST only: enroll, or show the student's page again with the error beside the menu."""

    permission_required = "students.add_enrollment"
    http_method_names = ["post"]
    form_page_name = "the student's page"

    def form_page_url(self):
        return reverse("students:detail", args=[self.kwargs["pk"]])

    def post(self, request, pk):
        self.object = self.get_object()
        form = EnrollForm(request.POST, student=self.object)
        if form.is_valid():
            course = form.cleaned_data["course"]
            try:
                services.enroll(student=self.object, course=course, actor=request.user)
            except services.EnrollmentRefused as refusal:
                form.add_error("course", str(refusal))
            else:
                messages.success(request, f"Enrolled {self.object.full_name} in {course.code}.")
                return redirect("students:detail", pk=self.object.pk)
        # Like every other form: the same page again (200) with the error beside the menu.
        return self.render_to_response(self.get_context_data(enroll_form=form))


class StudentUnenrollView(RecordPermissionMixin, DeleteView):
    """GET asks for confirmation, POST removes the student from the course."""

    permission_required = "students.delete_enrollment"
    model = Enrollment
    pk_url_kwarg = "enrollment_pk"

    def get_queryset(self):
        return Enrollment.objects.select_related("student", "course").filter(student_id=self.kwargs["pk"])

    def form_valid(self, form):
        enrollment = self.object
        services.unenroll(enrollment=enrollment, actor=self.request.user)
        messages.success(self.request, f"Removed {enrollment.student.full_name} from {enrollment.course.code}.")
        return redirect("students:detail", pk=enrollment.student_id)


# -- CSV export ---------------------------------------------------------------

EXPORT_COLUMNS = [
    ("student_number", "Student number"),
    ("first_name", "First name"),
    ("last_name", "Last name"),
    ("email", "Email"),
    ("date_of_birth", "Date of birth"),
    ("status", "Status"),
    ("enrolled_on", "Enrolled on"),
    ("courses", "Courses"),
]
# A spreadsheet runs a cell starting with one of these as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_TRIGGERS) else text


class _Echo:
    def write(self, value):
        return value


class StudentExportView(RecordPermissionMixin, View):
    permission_required = "students.view_student"
    http_method_names = ["get", "head"]

    def get(self, request):
        student_filter, students = filtered_students(request.GET)
        if student_filter.form["q"].errors:
            refusal = " ".join(student_filter.form["q"].errors)
            return HttpResponseBadRequest(f"No export: {refusal}", content_type="text/plain; charset=utf-8")
        logger.info("students exported by user_id=%s", request.user.pk)
        filename = f"students-{timezone.localdate():%Y-%m-%d}.csv"
        return csv_download(filename, EXPORT_COLUMNS, self.rows(students_with_courses(students)))

    def rows(self, students):
        for student in students.iterator(chunk_size=500):
            yield {
                **{name: getattr(student, name) for name, _ in EXPORT_COLUMNS[:-1]},
                "status": student.get_status_display(),
                "courses": ";".join(enrollment.course.code for enrollment in student.enrollments.all()),
            }


def csv_download(filename, columns, rows):
    """A streamed CSV attachment: a header of column titles, then one line per row (a dict)."""

    def lines():
        writer = csv.writer(_Echo())
        # The byte-order mark tells spreadsheet programs the file is UTF-8 (accents intact).
        yield "\ufeff" + writer.writerow([title for _, title in columns])
        for row in rows:
            yield writer.writerow([spreadsheet_safe(row[name]) for name, _ in columns])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    # Quoted and encoded as RFC 6266 asks, whatever the name holds (a course code from before today's rules).
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


# -- courses ----------------------------------------------------------------


class CourseListView(RecordPermissionMixin, ListView):
    permission_required = "students.view_course"
    template_name = "students/course_list.html"

    def get_queryset(self):
        return courses_with_counts()


class CourseDetailView(RecordPermissionMixin, DetailView):
    """The course and one page of its roster (a course may have thousands of students)."""

    permission_required = "students.view_course"
    model = Course

    def get_queryset(self):
        return courses_with_counts()

    def get_context_data(self, **kwargs):
        kwargs["roster"] = page_of(roster_of(self.object), self.request.GET.get("page"))
        return super().get_context_data(**kwargs)


ROSTER_COLUMNS = [
    ("student_number", "Student number"),
    ("first_name", "First name"),
    ("last_name", "Last name"),
    ("email", "Email"),
    ("status", "Status"),
    ("enrolled_at", "Enrolled in course"),
]


class CourseRosterExportView(RecordPermissionMixin, SingleObjectMixin, View):
    """The whole roster as CSV, in the order the course page lists it."""

    permission_required = ("students.view_course", "students.view_student")
    model = Course
    http_method_names = ["get", "head"]

    def get(self, request, pk):
        course = self.get_object()
        logger.info("course roster exported course_id=%s by user_id=%s", course.pk, request.user.pk)
        filename = f"{course.code}-roster-{timezone.localdate():%Y-%m-%d}.csv"
        return csv_download(filename, ROSTER_COLUMNS, self.rows(roster_of(course)))

    def rows(self, enrollments):
        for enrollment in enrollments.iterator(chunk_size=500):
            student = enrollment.student
            yield {
                "student_number": student.student_number,
                "first_name": student.first_name,
                "last_name": student.last_name,
                "email": student.email,
                "status": student.get_status_display(),
                "enrolled_at": timezone.localdate(enrollment.enrolled_at),
            }


class CourseCreateView(RecordPermissionMixin, RecordFormMixin, CreateView):
    permission_required = "students.add_course"
    model = Course
    form_class = CourseForm
    success_message = "Added course {record.code}."


class CourseUpdateView(RecordPermissionMixin, RecordFormMixin, UpdateView):
    permission_required = "students.change_course"
    model = Course
    form_class = CourseForm
    success_message = "Saved changes to course {record.code}."


class CourseDeleteView(RecordPermissionMixin, DeleteView):
    """GET asks to confirm, or says why a course with students cannot be deleted; POST deletes."""

    permission_required = "students.delete_course"
    model = Course
    success_url = reverse_lazy("courses:list")

    def get_queryset(self):
        return courses_with_counts()

    def form_valid(self, form):
        course = self.object
        try:
            services.course_delete(course=course, actor=self.request.user)
        except services.CourseInUse as refusal:
            messages.error(self.request, str(refusal))
            return redirect("courses:detail", pk=course.pk)
        messages.success(self.request, f"Deleted course {course.code}.")
        return redirect(self.success_url)
