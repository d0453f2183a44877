"""SQLite that folds letter case and sorts names the way PostgreSQL does: every letter, not A to Z alone.

SQLite's own LOWER() and LIKE fold the 26 ASCII letters only. So on the default database
"Zoë" and "ZOË" were two usernames, a student's zoe@lycée.example did not clash with
zoe@LYCÉE.example, and "Ökafor" was not found by "ökafor". Each connection gets
UNICODE_CASEFOLD(), which folds letter case as PostgreSQL's LOWER(UPPER()) does
(folding.fold_case; deterministic, so unique indexes can use it: see functions.CaseFolded),
and the case-insensitive lookups (iexact, icontains, ...) compare UNICODE_CASEFOLD() of both
sides, as Django's PostgreSQL backend compares UPPER().

SQLite sorts text by its bytes: "de Vries" and "Ökafor" came after "Zola" in a list "A to Z".
Each connection also gets the ALPHABETICAL collation, which the name columns use
(fields.AlphabeticalCharField): letters in the order of the alphabet whatever their case or
accents, as PostgreSQL's ICU or libc collations sort them.

Names of their own, not SQLite's LOWER() redefined: a tool without them (the sqlite3 shell of
`manage.py dbshell`) cannot write a value the indexes would fold or sort otherwise; it is refused.
"""

import functools
import unicodedata

from django.db.backends.sqlite3 import base, operations

from project.folding import fold_case, without_case_or_accents

CASE_INSENSITIVE_LOOKUPS = ("iexact", "icontains", "istartswith", "iendswith")


ALPHABETICAL = "alphabetical"


def unicode_casefold(text):
    return None if text is None else fold_case(str(text))


@functools.lru_cache(maxsize=4096)
def alphabetical_key(text):
    """The letters without case or accents first, then the accents, then the case, small
    letters first: Anders, Angstrom, Ångström, ångström, Byron, de Vries, O'Brien (either
    apostrophe), Oakes, Ökafor, van Dijk, Van Dijk, Zola. Equal only when identical."""
    return without_case_or_accents(text), unicodedata.normalize("NFKD", text.casefold()), text.swapcase(), text


def alphabetical_order(first, second):
    first, second = alphabetical_key(first), alphabetical_key(second)
    return (first > second) - (first < second)


class DatabaseOperations(operations.DatabaseOperations):
    def lookup_cast(self, lookup_type, internal_type=None):
        return "UNICODE_CASEFOLD(%s)" if lookup_type in CASE_INSENSITIVE_LOOKUPS else "%s"  # "%s": no cast

    def prep_for_iexact_query(self, x):
        return x  # compared with "=", not LIKE: "_" and "%" stand for themselves


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
    operators = {
        **base.DatabaseWrapper.operators,
        "iexact": "= UNICODE_CASEFOLD(%s)",
        "icontains": "LIKE UNICODE_CASEFOLD(%s) ESCAPE '\\'",
        "istartswith": "LIKE UNICODE_CASEFOLD(%s) ESCAPE '\\'",
        "iendswith": "LIKE UNICODE_CASEFOLD(%s) ESCAPE '\\'",
    }
    pattern_ops = {
        **base.DatabaseWrapper.pattern_ops,
        "icontains": r"LIKE '%%' || UNICODE_CASEFOLD({}) || '%%' ESCAPE '\'",
        "istartswith": r"LIKE UNICODE_CASEFOLD({}) || '%%' ESCAPE '\'",
        "iendswith": r"LIKE '%%' || UNICODE_CASEFOLD({}) ESCAPE '\'",
    }

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        connection.create_function("UNICODE_CASEFOLD", 1, unicode_casefold, deterministic=True)
        connection.create_collation(ALPHABETICAL, alphabetical_order)
        return connection
