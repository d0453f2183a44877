"""SQLite that folds letter case the way PostgreSQL does: every letter, not A to Z alone.

SQLite's own LOWER() and LIKE fold the 26 ASCII letters only. So on the default database
"Zoë" and "ZOË" were two usernames, a student's zoe@lycée.example did not clash with
zoe@LYCÉE.example, and "Ökafor" was not found by "ökafor". Each connection gets
UNICODE_LOWER(), Python's lower case of every letter (deterministic, so unique indexes can
use it: see functions.UnicodeLower), and the case-insensitive lookups (iexact, icontains, ...)
compare UNICODE_LOWER() of both sides, as Django's PostgreSQL backend compares UPPER().

A name of its own, not SQLite's LOWER() redefined: a tool without it (the sqlite3 shell of
`manage.py dbshell`) cannot write an email the indexes would fold otherwise; it is refused.
"""

from django.db.backends.sqlite3 import base, operations

CASE_INSENSITIVE_LOOKUPS = ("iexact", "icontains", "istartswith", "iendswith")


def unicode_lower(text):
    return None if text is None else str(text).lower()


class DatabaseOperations(operations.DatabaseOperations):
    def lookup_cast(self, lookup_type, internal_type=None):
        return "UNICODE_LOWER(%s)" if lookup_type in CASE_INSENSITIVE_LOOKUPS else "%s"  # "%s": no cast

    def prep_for_iexact_query(self, x):
        return x  # compared with "=", not LIKE: "_" and "%" stand for themselves


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
    operators = {
        **base.DatabaseWrapper.operators,
        "iexact": "= UNICODE_LOWER(%s)",
        "icontains": "LIKE UNICODE_LOWER(%s) ESCAPE '\\'",
        "istartswith": "LIKE UNICODE_LOWER(%s) ESCAPE '\\'",
        "iendswith": "LIKE UNICODE_LOWER(%s) ESCAPE '\\'",
    }
    pattern_ops = {
        **base.DatabaseWrapper.pattern_ops,
        "icontains": r"LIKE '%%' || UNICODE_LOWER({}) || '%%' ESCAPE '\'",
        "istartswith": r"LIKE UNICODE_LOWER({}) || '%%' ESCAPE '\'",
        "iendswith": r"LIKE '%%' || UNICODE_LOWER({}) ESCAPE '\'",
    }

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        connection.create_function("UNICODE_LOWER", 1, unicode_lower, deterministic=True)
        return connection
