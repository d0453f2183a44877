from django.db.models import Func


class CaseFolded(Func):
    """Text with its letter case folded (ß and SS, a final sigma and another alike; folding.
    fold_case): PostgreSQL's LOWER(UPPER()), SQLite's UNICODE_CASEFOLD() (base.py)."""

    function = "UNICODE_CASEFOLD"
    arity = 1

    def as_postgresql(self, compiler, connection):  # pragma: no cover (make test-postgres runs it)
        return self.as_sql(compiler, connection, template="LOWER(UPPER(%(expressions)s))")
