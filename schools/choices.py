"""`get_FOO_display()` without rebuilding the field's choices on every call.

Django's `Model._get_FIELD_display` makes the whole `flatchoices` list hashable on every call,
which hashes each lazy label and so translates every choice to show one: a queue page of 25
rows showing status and priority made about 500 translation lookups for 50 labels. The
labels are looked up by value in a dict built once per field instead, and stay lazy, so each
call still speaks the active language.
"""

from typing import Any

from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable


def _labels_by_value(field: Any) -> dict[Any, Any]:
    labels = field.__dict__.get("_labels_by_value")
    if labels is None:
        # Only the values are hashed; a lazy label is translated when it is shown.
        labels = {make_hashable(value): label for value, label in field.flatchoices}
        field.__dict__["_labels_by_value"] = labels
    return labels


class ChoiceLabels(models.Model):
    """Mixed into the models whose choices the busy pages show (status, priority, kind)."""

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field: Any) -> Any:  # noqa: N802 (Django's name, overridden)
        value = getattr(self, field.attname)
        return force_str(_labels_by_value(field).get(make_hashable(value), value), strings_only=True)
