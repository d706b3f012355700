"""Selects whose options are read once, only if drawn, in Django's own (value, label) form.

The ticket pages draw a dozen selects (schools, queues, categories, articles, people); each
reads the columns its labels show, the first time it is drawn, and two selects of one page
may share one read (`ReadOnce`).
"""

import functools
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from django import forms
from django.utils.choices import BaseChoiceIterator

_Field = TypeVar("_Field", bound=forms.Field)


def field_of(form: forms.BaseForm, name: str, kind: type[_Field]) -> _Field:
    """`form.fields[name]`, checked to be the kind of field the caller goes on to configure."""
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"{name} is a {type(field).__name__}, not a {kind.__name__}")
    return field


def options_read_once(field: forms.ModelChoiceField, *label_fields: str) -> None:
    """The select's options from one plain query of the columns its labels show, read if drawn.

    ModelChoiceField walks `queryset.iterator()`, which on PostgreSQL opens a server-side
    cursor (DECLARE, FETCH, CLOSE) and reads every column (an article's whole body) for a
    list of a few dozen rows. Validation still looks the posted id up in the field's queryset.
    """
    queryset = field.queryset.only(*label_fields)  # type: ignore[union-attr]  # the field always has one
    empty = [("", field.empty_label)] if field.empty_label is not None else []
    options_from(field, lambda: [*empty, *((obj.pk, field.label_from_instance(obj)) for obj in queryset)])


def options_from(field: forms.ChoiceField, read: Callable[[], list[tuple[Any, Any]]]) -> None:
    """The select offers what `read` returns, read the first time it is drawn. Set through Django's
    own ChoiceField setter: django-filter's wraps any value in its queryset iterator."""
    setter: property = vars(forms.ChoiceField)["choices"]
    setter.__set__(field, ReadOnce(read))


class ReadOnce(BaseChoiceIterator):
    """Options read the first time they are iterated, then kept, already in Django's (value, label) form.

    A plain callable would be wrapped in a CallableChoiceIterator, which normalizes every option
    again each time the select is walked (twice a draw: `required` looks at the first option).
    """

    def __init__(self, read: Callable[[], list[tuple[Any, Any]]]) -> None:
        self.read = functools.cache(read)

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        return iter(self.read())
