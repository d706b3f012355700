"""`{% quick_field form.school %}` and `{% quick_form form %}`: crispy's bootstrap5 markup, choices drawn in Python.

Drawn by crispy, every <option> (and every checkbox) goes through one of Django's
widget templates: the staff queue's filter form (~150 schools, queues, technicians
and categories) spent about half of the page's time there, the ticket page's triage
form a quarter of its own. These tags write the same markup as `|as_crispy_field`
and `|crispy` (bootstrap5 pack, no FormHelper), joined in Python for selects,
radio buttons and checkbox lists; any other field is handed to crispy as before.

Only the drawing differs: which option is selected, the ids, `required` and the
`aria-*` error attributes come from Django's own code (`optgroups`,
`build_widget_attrs`). Every value, label and error is escaped (help text
is the developer's HTML, as everywhere in Django).
"""

from collections.abc import Iterable
from html import escape as html_escape
from typing import Any

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.conf import settings
from django.forms import BoundField
from django.utils.functional import Promise
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _esc(value: Any) -> str:
    """`_esc(value)`, without the lazy-string wrapper Django puts around `escape`:
    a ticket page escapes a few thousand values here (a tenth of the time it spent drawing selects)."""
    if isinstance(value, Promise):
        value = str(value)
    already_safe = getattr(value, "__html__", None)
    return already_safe() if already_safe is not None else html_escape(str(value))


def _attrs(attrs: dict[str, Any]) -> str:
    """Attributes in their order, as Django's `attrs.html` writes them: True bare, False left out."""
    return "".join(
        f" {_esc(name)}" if value is True else f' {_esc(name)}="{_esc(value)}"'
        for name, value in attrs.items()
        if value is not False and value is not None
    )


def _errors(field: BoundField) -> str:
    if not field.errors:
        return ""
    return format_html(
        '<div id="{}_error" class="invalid-feedback">\n{}\n</div>\n',
        field.auto_id,
        format_html_join(
            "\n",
            '<p id="error_{}_{}"><strong>{}</strong></p>',
            ((number, field.auto_id, error) for number, error in enumerate(field.errors, start=1)),
        ),
    )


def _help_text(field: BoundField) -> str:
    if not field.help_text:
        return ""
    # Help text is the developer's HTML, not escaped by Django's forms or crispy either.
    help_text = mark_safe(field.help_text)
    return format_html('<div id="{}_helptext" class="form-text">{}</div>\n', field.auto_id, help_text)


def _label_text(field: BoundField) -> str:
    if field.field.required:
        return format_html('{}<span class="asteriskField">*</span>', field.label)
    return _esc(field.label)


def _label_classes(field: BoundField, *extra: str) -> str:
    return " ".join(("form-label", *(["requiredField"] if field.field.required else []), *extra))


def _wrapper_classes(field: BoundField) -> str:
    css = field.css_classes()
    return f"mb-3 {css}" if css else "mb-3"


def _widget_classes(field: BoundField, bootstrap: str) -> str:
    """crispy's `{% crispy_field field 'class' bootstrap %}`: the widget's classes, its lower-cased
    class name unless already there, then Bootstrap's (`form-select` or `form-control`)."""
    widget = field.field.widget
    name = type(widget).__name__.lower()
    name = getattr(settings, "CRISPY_CLASS_CONVERTERS", {}).get(name, name)
    css = widget.attrs.get("class", "")
    if not css:
        css = name
    elif name not in css:
        css = f"{css} {name}"
    for extra in (bootstrap, "is-invalid") if field.errors else (bootstrap,):
        if extra not in css.split():
            css = f"{css} {extra}"
    return css


def _labelled(field: BoundField, control: str) -> SafeString:
    """crispy's wrapper around one control: its label, the control (escaped by the caller), errors, help text."""
    label = ""
    if field.label:
        label = (
            f'<label for="{_esc(field.id_for_label)}" class="{_label_classes(field)}">{_label_text(field)}</label>\n'
        )
    return mark_safe(  # every piece is escaped or built by format_html
        f'<div id="div_{_esc(field.auto_id)}" class="{_esc(_wrapper_classes(field))}">\n'
        f"{label}{control}\n{_errors(field)}{_help_text(field)}</div>"
    )


def _input(field: BoundField) -> SafeString:
    """A text box or text area, as crispy's bootstrap5 `field.html` and Django's widget templates draw it."""
    widget = field.field.widget
    extra = {"class": _widget_classes(field, "form-control"), **field.build_widget_attrs({})}
    if field.auto_id and "id" not in widget.attrs:
        extra.setdefault("id", field.auto_id)
    drawn = widget.get_context(field.html_name, field.value(), extra)["widget"]
    name = _esc(field.html_name)
    if isinstance(widget, forms.Textarea):
        value = _esc(drawn["value"]) if drawn["value"] else ""
        control = f'<textarea name="{name}"{_attrs(drawn["attrs"])}>\n{value}</textarea>'
    else:
        value = "" if drawn["value"] is None else f' value="{_esc(str(drawn["value"]))}"'
        control = f'<input type="{_esc(drawn["type"])}" name="{name}"{value}{_attrs(drawn["attrs"])}>'
    return _labelled(field, control)


# Drawn by `_input`: text boxes whose markup is one <input> (or <textarea>) and nothing else.
TEXT_WIDGETS = (forms.TextInput, forms.EmailInput, forms.URLInput, forms.NumberInput, forms.DateInput, forms.Textarea)


def _options(options: Iterable[dict[str, Any]]) -> str:
    return "\n".join(
        f'<option value="{_esc(option["value"])}"{_attrs(option["attrs"])}>{_esc(option["label"])}</option>'
        for option in options
    )


def _plain_options(choices: Iterable[tuple[Any, Any]], selected: list[str], state: list[bool]) -> str:
    """`_options(optgroups(...))` for a single select whose options carry no attributes but
    `selected`: the same markup without a dict per option (a select of 60 schools, queues or
    technicians is drawn several times on every ticket page). `state[0]` is "one is selected
    already": as in Django, only the first option whose value matches is selected."""
    drawn = []
    for value, label in choices:
        is_selected = not state[0] and str(value) in selected
        state[0] = state[0] or is_selected
        drawn.append(f'<option value="{_esc(value)}"{" selected" if is_selected else ""}>{_esc(label)}</option>')
    return "\n".join(drawn)


def _draws_plain_options(widget: forms.Widget) -> bool:
    """A single select that draws its options as Django's ChoiceWidget does, with no attributes of their own."""
    kind = type(widget)
    return (
        isinstance(widget, forms.Select)
        and not widget.allow_multiple_selected
        and not widget.option_inherits_attrs
        and getattr(kind, "optgroups", None) is forms.widgets.ChoiceWidget.optgroups
        and getattr(kind, "create_option", None) is forms.widgets.ChoiceWidget.create_option
        and widget.checked_attribute == {"selected": True}
    )


def _select_body(field: BoundField, widget: forms.Select) -> str:
    selected = widget.format_value(field.value())
    if not _draws_plain_options(widget):
        return "\n".join(
            f'<optgroup label="{_esc(name)}">\n{_options(options)}\n</optgroup>' if name else _options(options)
            for name, options, _index in widget.optgroups(field.html_name, selected, None)
        )
    state = [False]
    parts = []
    for value, label in widget.choices:
        if isinstance(label, (list, tuple)):
            parts.append(f'<optgroup label="{_esc(value)}">\n{_plain_options(label, selected, state)}\n</optgroup>')
        else:
            parts.append(_plain_options([("" if value is None else value, label)], selected, state))
    return "\n".join(parts)


def _select(field: BoundField) -> SafeString:
    widget = field.field.widget
    attrs = {**widget.attrs, "class": _widget_classes(field, "form-select"), **field.build_widget_attrs({})}
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    body = _select_body(field, widget)
    return _labelled(field, f'<select name="{_esc(field.html_name)}"{_attrs(attrs)}>\n{body}\n</select>')


def _choice_list(field: BoundField) -> SafeString:
    """Radio buttons or checkboxes in a fieldset, as crispy's `radio_checkbox_select.html`."""
    widget = field.field.widget
    base = field.build_widget_attrs({"id": widget.attrs.get("id") or field.auto_id} if field.auto_id else {})
    groups = widget.optgroups(field.html_name, widget.format_value(field.value()), base)
    invalid = " is-invalid" if field.errors else ""
    rows = []
    for group_number, (group_name, options, _index) in enumerate(groups, start=1):
        if group_name:
            rows.append(f"<strong>{_esc(group_name)}</strong>")
        for number, option in enumerate(options, start=1):
            # As crispy does: the errors follow the very last input, so that Bootstrap's
            # `.is-invalid ~ .invalid-feedback` shows them.
            last = group_number == len(groups) and number == len(options)
            rows.append(
                f'<div class="form-check">\n<input type="{_esc(option["type"])}" '
                f'class="form-check-input{invalid}" name="{_esc(field.html_name)}" '
                f'value="{_esc(option["value"])}"{_attrs(option["attrs"])}>\n'
                f'<label for="{_esc(option["attrs"].get("id", ""))}" class="form-check-label">'
                f"{_esc(option['label'])}</label>\n"
                f"{_errors(field) if last else ''}</div>"
            )
    choices = "<div>\n" + "\n".join(rows) + "\n</div>\n" + _help_text(field)
    wrapper = f'<div id="div_{_esc(field.auto_id)}" class="{_esc(_wrapper_classes(field))}">'
    if not field.label:
        return mark_safe(f"{wrapper}\n{choices}</div>")  # escaped above
    describedby = field.aria_describedby
    describedby = f' aria-describedby="{_esc(describedby)}"' if describedby else ""
    return mark_safe(  # escaped above
        f"{wrapper}\n<fieldset{describedby}>\n"
        f'<legend class="{_label_classes(field, "fs-6")}">{_label_text(field)}</legend>\n'
        f"{choices}</fieldset>\n</div>"
    )


@register.simple_tag
def quick_field(field: BoundField) -> SafeString:
    """One field as `{{ field|as_crispy_field }}` draws it."""
    widget = field.field.widget
    if getattr(field.form, "helper", None) is None and not field.is_hidden:
        if isinstance(widget, forms.RadioSelect):  # and CheckboxSelectMultiple, its subclass
            return _choice_list(field)
        if isinstance(widget, forms.Select) and not widget.allow_multiple_selected:
            return _select(field)
        if type(widget) in TEXT_WIDGETS:
            return _input(field)
    return as_crispy_field(field)


@register.simple_tag
def quick_form(form: forms.Form) -> SafeString:
    """A whole form as `{{ form|crispy }}` draws it: the form's own errors, then every field."""
    errors = ""
    if form.non_field_errors():
        errors = format_html(
            '<div class="alert alert-block alert-danger">\n<ul class="m-0">\n{}\n</ul>\n</div>\n',
            format_html_join("\n", "<li>{}</li>", ((error,) for error in form.non_field_errors())),
        )
    return mark_safe(errors + "\n".join(quick_field(field) for field in form))  # all parts are safe
