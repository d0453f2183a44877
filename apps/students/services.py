"""Record changes that must hold under concurrency, shared by web and API."""

import logging

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from .models import Course, Enrollment

logger = logging.getLogger("apps.students")


class EnrollmentRefused(Exception):
    """The enrollment cannot happen; the message is shown to the user as is."""


class CourseInUse(Exception):
    """The course still has enrollments."""


def enroll(student, course, *, actor):
    """Enroll `student` in `course`, never past its capacity.

    The course row is locked (SELECT ... FOR UPDATE) for the whole check-and-
    insert, so simultaneous requests queue up instead of overbooking.
    """
    with transaction.atomic():
        course = Course.objects.select_for_update().get(pk=course.pk)
        if Enrollment.objects.filter(student=student, course=course).exists():
            raise EnrollmentRefused(f"{student.full_name} is already enrolled in {course.code}.")
        if Enrollment.objects.filter(course=course).count() >= course.capacity:
            raise EnrollmentRefused(f"{course.code} is full")
        try:
            with transaction.atomic():
                enrollment = Enrollment.objects.create(student=student, course=course)
        except IntegrityError as error:  # the same pair raced in: still a duplicate
            raise EnrollmentRefused(f"{student.full_name} is already enrolled in {course.code}.") from error
    log_change("enrollment", "created", enrollment, actor)
    return enrollment


def unenroll(enrollment, *, actor):
    pk = enrollment.pk
    enrollment.delete()
    log_change("enrollment", "deleted", enrollment, actor, pk=pk)


def delete_course(course, *, actor):
    pk = course.pk
    try:
        course.delete()
    except ProtectedError as error:
        raise CourseInUse(
            f"{course.code} still has enrolled students and cannot be deleted. Unenroll them first."
        ) from error
    log_change("course", "deleted", course, actor, pk=pk)


def log_change(kind, action, record, actor, pk=None):
    """One line per record change, naming the acting user (never secrets)."""
    logger.info("%s %s pk=%s record=%r by user_id=%s", kind, action, pk or record.pk, str(record), actor.pk)
