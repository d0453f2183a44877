"""Model fields that store a value one way, whoever writes it and however it was typed."""

import unicodedata

from django import forms
from django.db import models

from project.sqlite.base import ALPHABETICAL


class NormalisedFormField(forms.CharField):
    """A form's text field that reads what was typed as its model field stores it: a value
    typed otherwise but stored the same ("bio110" for BIO110, a browser's line breaks)
    is no change of the user's."""

    def __init__(self, *, normalise, **kwargs):
        self.normalise = normalise
        super().__init__(**kwargs)

    def to_python(self, value):
        return self.normalise(super().to_python(value))


class StoredNormalised:
    """For a model field whose to_python() normalises a value: every write stores it so
    (pre_save, also for writes past full_clean)."""

    def pre_save(self, model_instance, add):
        value = self.to_python(super().pre_save(model_instance, add))
        setattr(model_instance, self.attname, value)
        return value


class NormalisedField(StoredNormalised):
    """StoredNormalised, and its form field reads typed values so too."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": NormalisedFormField, "normalise": self.to_python, **kwargs})


class MultilineTextField(NormalisedField, models.TextField):
    """A note or a description, its line breaks stored as "\\n" however they came: a browser
    sends a text box's as "\\r\\n", an API client as it likes."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if value else value


class EmailAddressField(StoredNormalised, models.EmailField):
    """An email address stored in Unicode's compatible composed form (NFKC), as Django stores
    usernames: "lycée" typed as e and a combining accent, or a domain typed in full-width letters, is
    the address it looks like, and its unique index sees the twin."""

    def to_python(self, value):
        value = super().to_python(value)
        return unicodedata.normalize("NFKC", value) if value else value


class AlphabeticalCharField(models.CharField):
    """A name, sorted and indexed in the order of the alphabet on SQLite too (project/sqlite):
    PostgreSQL's collations already sort so; SQLite's own sorts by bytes."""

    def db_parameters(self, connection):
        parameters = super().db_parameters(connection)
        if connection.vendor == "sqlite":  # pragma: no branch (the other way: make test-postgres)
            parameters["collation"] = ALPHABETICAL
        return parameters
