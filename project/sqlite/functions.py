from django.db.models.functions import Lower


class UnicodeLower(Lower):
    """LOWER() of every letter: PostgreSQL's own, SQLite's UNICODE_LOWER() (see base.py)."""

    def as_sqlite(self, compiler, connection):
        return self.as_sql(compiler, connection, function="UNICODE_LOWER")
