"""Every write to students, courses and enrollments, shared by the pages, the API and the admin.

Each service takes keyword arguments only, validates, writes in one
transaction and logs one audit line naming the acting user. Views, API views
and the admin only call them and tell the user what happened.

An update writes only the fields it is given, onto the record as saved at that
moment: the row is locked first (SELECT ... FOR UPDATE; on SQLite the write
transaction holds the database's one write lock), then read, changed, validated
and saved. Simultaneous writes to different fields therefore all survive.

Students and courses carry a version (django-concurrency raises it on every
save). Two ways to refuse a write made from an outdated view of the record:
- `version` (an API `If-Match`): StaleRecord when the saved version is another.
- `opened` (an edit form: the values its user saw of the fields they changed):
  EditConflict naming each field somebody else changed meanwhile.
Without either, the write goes ahead.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F, ProtectedError
from django.http import Http404

from project.saving import validate_and_save

from .models import Course, Enrollment, Student

logger = logging.getLogger("apps.students")


class StaleRecord(Exception):
    """Somebody else saved the record after this user read it; nothing was written."""

    message = "Someone else changed this record after you opened it."

    def __init__(self, current):
        super().__init__(self.message)
        self.current = current  # the record as saved now


class EditConflict(StaleRecord):
    """Fields this user changed were also changed by somebody else since they opened
    the record; nothing was written. `fields` names them, `current` is the record as saved now."""

    def __init__(self, current, fields):
        super().__init__(current)
        self.fields = fields


class EnrollmentRefused(Exception):
    """The enrollment cannot happen; the message is shown to the user as is."""


class CourseInUse(Exception):
    """The course still has enrollments."""


# -- students -----------------------------------------------------------------


def student_create(*, actor, **fields):
    student = _save_new(Student(**fields))
    log_change("student", "created", student, actor)
    return student


def student_update(*, student, actor, version=None, opened=None, **changes):
    """Write `changes` onto the student as saved now; the saved student."""
    return _update(student, changes, actor=actor, version=version, opened=opened)


def student_delete(*, student, actor, version=None):
    """Deletes the student's enrollments too (their courses have seats free again: a new version)."""
    with transaction.atomic():
        courses = list(Course.objects.filter(enrollments__student=_locked(student)).values_list("pk", flat=True))
        _delete(student, version=version)
        _revised(Course, courses)
    log_change("student", "deleted", student, actor)


# -- courses ------------------------------------------------------------------


def course_create(*, actor, **fields):
    course = _save_new(Course(**fields))
    log_change("course", "created", course, actor)
    return course


def course_update(*, course, actor, version=None, opened=None, **changes):
    """Write `changes` onto the course as saved now (never a capacity below its
    enrollments: the course row is locked, like every enrollment locks it); the saved course."""
    return _update(course, changes, actor=actor, version=version, opened=opened)


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
        course = _locked(course)
        student = _locked(student)  # not deleted meanwhile
        try:
            with transaction.atomic():
                enrollment = Enrollment.objects.create(student=student, course=course)
                if Enrollment.objects.filter(course=course).count() > course.capacity:
                    raise EnrollmentRefused(f"{course.code} is full")  # and the insert is undone
        except IntegrityError as error:
            raise EnrollmentRefused(f"{student.full_name} is already enrolled in {course.code}.") from error
        _revised(Student, [student.pk])
        _revised(Course, [course.pk])
    log_change("enrollment", "created", enrollment, actor)
    return enrollment


def unenroll(*, enrollment, actor):
    pk = enrollment.pk
    with transaction.atomic():
        enrollment.delete()
        _revised(Student, [enrollment.student_id])
        _revised(Course, [enrollment.course_id])
    log_change("enrollment", "deleted", enrollment, actor, pk=pk)


def _revised(model, pks):
    """A new version for these records: what the API shows of them changed (a student's
    courses, a course's seats), so an `If-Match` read before names an older one."""
    model.objects.filter(pk__in=pks).update(version=F("version") + 1)


# -- each model's writes, for the doors that handle students and courses alike --


@dataclass(frozen=True)
class RecordWrites:
    """A student's or a course's write services, called the same way by the pages, the API and the admin."""

    kind: str
    create: Callable
    update_service: Callable
    delete_service: Callable

    def update(self, record, **options):
        return self.update_service(**{self.kind: record}, **options)

    def delete(self, record, **options):
        self.delete_service(**{self.kind: record}, **options)


WRITES = {
    Student: RecordWrites("student", student_create, student_update, student_delete),
    Course: RecordWrites("course", course_create, course_update, course_delete),
}


# -- shared -------------------------------------------------------------------


def log_change(kind, action, record, actor, pk=None):
    """One line per record change, naming the acting user (never secrets)."""
    logger.info("%s %s pk=%s record=%r by user_id=%s", kind, action, pk or record.pk, str(record), actor.pk)


def _save_new(record):
    with transaction.atomic():
        validate_and_save(record)
    return record


def _update(record, changes, *, actor, version, opened):
    kind = record._meta.model_name
    # Each value as its field stores it: "bio110" is no change of a course saved as BIO110.
    changes = {name: record._meta.get_field(name).to_python(value) for name, value in changes.items()}
    with transaction.atomic():
        saved = _locked(record)
        if version is not None and saved.version != version:
            raise StaleRecord(current=saved)
        if opened is not None:
            clashes = [
                name
                for name, value in changes.items()
                if getattr(saved, name) not in (opened[name], value)  # not as the user saw it, nor as they typed it
            ]
            if clashes:
                raise EditConflict(saved, clashes)
        changed = [name for name, value in changes.items() if getattr(saved, name) != value]
        if not changed:
            return saved
        for name in changed:
            setattr(saved, name, changes[name])
        # Only what changes is checked (with the whole record's rules): a value saved before
        # today's rules, in a field nobody touches, never blocks an edit of another one.
        untouched = [field.name for field in saved._meta.concrete_fields if field.name not in changed]
        validate_and_save(saved, exclude=untouched)
    log_change(kind, "updated", saved, actor)
    return saved


def _delete(record, *, version):
    with transaction.atomic():
        saved = _locked(record)
        if version is not None and saved.version != version:
            raise StaleRecord(current=saved)
        saved.delete()


def _locked(record):
    """`record` as saved now, its row held until the transaction ends.

    Nobody can change or delete it meanwhile (SQLite: nobody else writes at all).
    """
    try:
        return type(record).objects.select_for_update().get(pk=record.pk)
    except type(record).DoesNotExist:
        raise Http404(f"This {record._meta.verbose_name} no longer exists.") from None
