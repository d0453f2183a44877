"""`<id:pk>`: a record id that fits a 64-bit column (registered in project/urls.py).

Django's `<int:>` accepts any length; a 30-digit id would reach the database
and overflow (a 500). Longer ids simply don't match: 404.
"""

RECORD_ID_REGEX = "[0-9]{1,18}"


class RecordIdConverter:
    regex = RECORD_ID_REGEX

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)
