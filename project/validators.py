"""Text rules every app's models share: what a name, a title or a note may hold.

Control characters break CSV files and headers, and bidirectional overrides
make text read differently from what it holds ("evil\u202egpj.exe"): names,
titles and codes refuse both, notes and descriptions allow line breaks and tabs.
Names, titles and codes also refuse the other invisible format characters (a
zero-width space makes "Ada\u200bLovelace" look like a name nobody can find),
all but the joiners that Persian, Indic and emoji text is written with.
"""

import unicodedata

from django.core.exceptions import ValidationError

# Embeddings, overrides and isolates, and the invisible direction marks.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
LINE_BREAKS_AND_TABS = frozenset("\n\r\t")
JOINERS = frozenset("\u200c\u200d")  # zero-width non-joiner and joiner
SEPARATORS = ("Zl", "Zp")  # the Unicode line and paragraph separators


def _unreadable(text, allowed=frozenset(), refused=("Cc", *SEPARATORS)):
    if text.isprintable():
        # No control character, separator or direction mark at all (each is unprintable):
        # a long note is passed at C speed instead of character by character.
        return False
    # NUL is refused before this by the forms' and the API's own check of every text field.
    allowed |= {"\x00"}
    return any(
        (unicodedata.category(char) in refused or char in BIDI_CONTROLS) and char not in allowed for char in text
    )


def validate_single_line(text):
    """A name, a title or a code: one line of visible text."""
    if _unreadable(text, allowed=JOINERS, refused=("Cc", "Cf", *SEPARATORS)):
        raise ValidationError("Use one line of plain text: no line breaks, tabs or invisible control characters.")


def validate_multiline(text):
    """A note or a description: line breaks and tabs are fine, invisible control characters are not."""
    if _unreadable(text, allowed=LINE_BREAKS_AND_TABS):
        raise ValidationError("Remove the invisible control characters (such as text-direction overrides).")


def messages_given(model_field):
    """The messages a model field was given in its `error_messages` (not Django's defaults):
    what the forms and the API serializers built from that field say too."""
    defaults = {}
    for cls in reversed(type(model_field).__mro__):
        defaults.update(getattr(cls, "default_error_messages", {}))
    return {key: message for key, message in model_field.error_messages.items() if defaults.get(key) != message}
