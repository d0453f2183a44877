"""Text as it is compared when letter case, or letter case and accents, do not matter: logins
and unique emails (`fold_case`), the student search (apps/students/models.py, `searchable`)
and the order of names on SQLite (project/sqlite)."""

import unicodedata

# Read as the letter or sign people type for them: letters with a stroke and the Turkish
# dotless ı (whose capital is I), which Unicode does not split into a letter and an accent;
# the ligatures æ and œ; and the apostrophes that phones and word processors put in "O’Brien".
READ_AS = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "’": "'", "‘": "'", "ʼ": "'"}
)


def fold_case(text):
    """Letter case folded as PostgreSQL folds it in LOWER(UPPER()), which SQLite's
    UNICODE_CASEFOLD() does too: "groß" and "GROSS", "ΟΔΟΣ" and "οδος", "Yılmaz" and
    "YILMAZ" are alike."""
    return text.upper().lower()


def without_case_or_accents(text):
    """ "ÅNGSTRÖM", "ångström" and "angstrom" become "angstrom"; "YILMAZ" and "Yılmaz" become
    "yilmaz"; "Søren" becomes "soren"; "O’Brien" becomes "o'brien"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char)).translate(READ_AS)
