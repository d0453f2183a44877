"""JSON bodies with limits: a hostile body gets a JSON 400, never a 500."""

from rest_framework import parsers
from rest_framework.exceptions import ParseError

# Records are flat objects; nothing the API takes comes near this.
MAX_JSON_DEPTH = 20
TOO_DEEP = f"JSON parse error - nested more than {MAX_JSON_DEPTH} levels deep."


def nesting_depth(data):
    """How many arrays/objects deep `data` goes (0 for a plain value), without recursion."""
    deepest, level = 0, [(data, 0)]
    while level:
        value, depth = level.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, depth + 1)
            if deepest > MAX_JSON_DEPTH:
                break
            children = value.values() if isinstance(value, dict) else value
            level.extend((child, depth + 1) for child in children)
    return deepest


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing bodies nested more than MAX_JSON_DEPTH levels.

    Python's own parser gives up on a few thousand brackets (`[[[[...]]]]`) with
    a RecursionError, which DRF would let through as a server error.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, parser_context=parser_context)  # it reads the charset there
        except RecursionError:
            raise ParseError(TOO_DEEP) from None
        if nesting_depth(data) > MAX_JSON_DEPTH:
            raise ParseError(TOO_DEEP)
        return data
