"""Every write to students, courses and enrollments, shared by the pages and the API.

Each service takes keyword arguments only, validates, writes in one
transaction and logs one audit line naming the acting user. Views and API
views only call them and tell the user what happened.

Students and courses carry a version (django-concurrency raises it on every
save and refuses a save from an older one). An update or delete given the
`version` its user started from raises StaleRecord when somebody else saved
the record since; without a version it goes ahead.
"""

import logging

from concurrency.api import is_changed
from concurrency.exceptions import RecordModifiedError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.http import Http404

from .models import Course, Enrollment, Student

logger = logging.getLogger("apps.students")


class StaleRecord(Exception):
    """Somebody else saved the record after this user opened it; nothing was written."""

    message = "Someone else changed this record after you opened it."

    def __init__(self, current=None):
        super().__init__(self.message)
        self.current = current  # the record as saved now, which an edit form shows beside what was typed


class EnrollmentRefused(Exception):
    """The enrollment cannot happen; the message is shown to the user as is."""


class CourseInUse(Exception):
    """The course still has enrollments."""


# -- students -----------------------------------------------------------------


def student_create(*, actor, **fields):
    student = _save_new(Student(**fields))
    log_change("student", "created", student, actor)
    return student


def student_update(*, student, actor, version=None, **fields):
    _save_changes(student, fields, version=version)
    log_change("student", "updated", student, actor)
    return student


def student_delete(*, student, actor, version=None):
    """Deletes the student's enrollments too."""
    _delete(student, version=version)
    log_change("student", "deleted", student, actor)


# -- courses ------------------------------------------------------------------


def course_create(*, actor, **fields):
    course = _save_new(Course(**fields))
    log_change("course", "created", course, actor)
    return course


def course_update(*, course, actor, version=None, **fields):
    _save_changes(course, fields, version=version)
    log_change("course", "updated", course, actor)
    return course


def course_delete(*, course, actor, version=None):
    """Refused (CourseInUse) while students are enrolled in the course."""
    try:
        _delete(course, version=version)
    except ProtectedError as error:
        raise CourseInUse(
            f"{course.code} still has enrolled students and cannot be deleted. Unenroll them first."
        ) from error
    log_change("course", "deleted", course, actor)


# -- enrollments --------------------------------------------------------------


def enroll(*, student, course, actor):
    """Enroll `student` in `course` once, never past its capacity.

    The course row is locked (SELECT ... FOR UPDATE on PostgreSQL; SQLite's
    IMMEDIATE transactions let one writer in at a time) for the whole
    insert-and-count, so simultaneous requests queue up instead of overbooking.
    A student already in the course is told so, even when the course is full:
    the database's unique constraint says it, however the other enrollment was
    made (another request, the admin).
    """
    with transaction.atomic():
        course = Course.objects.select_for_update().get(pk=course.pk)
        try:
            with transaction.atomic():
                enrollment = Enrollment.objects.create(student=student, course=course)
                if Enrollment.objects.filter(course=course).count() > course.capacity:
                    raise EnrollmentRefused(f"{course.code} is full")  # and the insert is undone
        except IntegrityError as error:
            raise EnrollmentRefused(f"{student.full_name} is already enrolled in {course.code}.") from error
    log_change("enrollment", "created", enrollment, actor)
    return enrollment


def unenroll(*, enrollment, actor):
    pk = enrollment.pk
    enrollment.delete()
    log_change("enrollment", "deleted", enrollment, actor, pk=pk)


# -- shared -------------------------------------------------------------------


def log_change(kind, action, record, actor, pk=None):
    """One line per record change, naming the acting user (never secrets)."""
    logger.info("%s %s pk=%s record=%r by user_id=%s", kind, action, pk or record.pk, str(record), actor.pk)


def _save_new(record):
    with transaction.atomic():
        _validate_and_save(record)
    return record


def _save_changes(record, fields, *, version):
    with transaction.atomic():
        saved_version = _lock(record)
        for name, value in fields.items():
            setattr(record, name, value)
        record.version = saved_version if version is None else version
        try:
            _validate_and_save(record)
        except RecordModifiedError as error:
            raise StaleRecord(current=type(record).objects.get(pk=record.pk)) from error


def _delete(record, *, version):
    pk = record.pk
    with transaction.atomic():
        _lock(record)
        if version is not None:
            record.version = version
            if is_changed(record):
                raise StaleRecord  # nothing shows a deleted record's saved values
        record.delete()
    record.pk = pk  # for the audit line


def _lock(record):
    """Hold the record's row until the transaction ends; its saved version.

    Nobody can change or delete it meanwhile (SQLite: nobody else writes at all).
    """
    saved_version = type(record).objects.select_for_update().filter(pk=record.pk).values_list("version", flat=True)
    if not saved_version:
        raise Http404(f"This {record._meta.verbose_name} no longer exists.")
    return saved_version[0]


def _validate_and_save(record):
    record.full_clean()
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        # A simultaneous request saved a clashing record after full_clean()
        # looked (PostgreSQL): the field error full_clean() gives now.
        record.full_clean()
        raise
