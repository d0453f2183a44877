"""How every service writes a new or changed record: validated, then saved, in the caller's transaction."""

from django.db import IntegrityError, transaction


def validate_and_save(record, *, exclude=None):
    """full_clean(), then save(); a clash that only the save found becomes full_clean()'s field error.

    Call it inside transaction.atomic(): on SQLite the writers then take turns before
    full_clean() looks, so it sees every record saved before. On PostgreSQL a simultaneous
    request can save a clashing record after full_clean() looked; its unique index refuses
    this save, and full_clean() now says which field clashes (test_concurrency, in
    make test-postgres).
    """
    record.full_clean(exclude=exclude)
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:  # pragma: no cover - PostgreSQL only (SQLite's writers take turns before full_clean)
        record.full_clean(exclude=exclude)
        raise
