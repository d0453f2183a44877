"""The API's JSON parser lives in project/api/parsers.py (the whole API shares it).

Its limits stay importable from here for the schema fuzzing's module, which
names this path; import them from project.api.parsers anywhere else.
"""

from project.api.parsers import MAX_JSON_DEPTH, TOO_DEEP

__all__ = ["MAX_JSON_DEPTH", "TOO_DEEP"]
