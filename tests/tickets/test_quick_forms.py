"""`{% quick_field %}` / `{% quick_form %}` draw what crispy's bootstrap5 pack draws, faster.

Two kinds of checks: the markup equals crispy's for the forms the pages use (in every
state: blank, chosen, invalid), and the things that matter on their own (selected
options, ids tied to labels, error attributes, escaping) hold whatever crispy does.
"""

import re

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field, as_crispy_form
from django import forms
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from tests import factories
from tickets.forms import (
    AssignForm,
    CloseForm,
    CommentForm,
    ReopenForm,
    ResolveForm,
    TicketCreateForm,
    TriageForm,
    WaitForm,
)
from tickets.models import Article
from tickets.templatetags.quick_forms import _draws_plain_options, _esc, quick_field, quick_form

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
FILTERS = ("school", "queue", "assignee", "category", "status", "priority")


def _normal(html: str) -> str:
    """Whitespace between and inside tags does not change the page; crispy's error block
    misses the space before `class` (`id="x_error"class=`), which browsers forgive."""
    html = re.sub(r'"class="', '" class="', html)
    html = re.sub(r"\s+", " ", html)
    html = re.sub(r"\s*(<|>)\s*", r"\1", html)
    return html.strip()


def _queue_form(client, user, query: str) -> forms.Form:
    client.force_login(user)
    response = client.get(f"{reverse('ticket-list')}?{query}")
    assert response.status_code == 200
    return response.context["filter_form"]


@pytest.fixture
def hostile_names(technician):
    school = factories.SchoolFactory(name=f"School {SCRIPT}")
    category = factories.CategoryFactory(name=f'Cat "{SCRIPT}')
    technician.first_name = SCRIPT
    technician.save(update_fields=["first_name"])
    return school, category


QUEUE_QUERIES = [
    "",
    "status=new&status=waiting&priority=high&ordering=-priority",
    "school={school}&category={category}&assignee={technician}",
    "school=999999&queue=abc&status=bogus&priority=urgent",
]


@pytest.mark.parametrize("query", QUEUE_QUERIES)
@pytest.mark.parametrize("name", FILTERS)
def test_queue_filters_match_crispy(client, technician, hostile_names, query, name):
    school, category = hostile_names
    query = query.format(school=school.pk, category=category.pk, technician=technician.pk)
    # A fresh form for each drawing: crispy writes its classes into the widget's attrs.
    ours = quick_field(_queue_form(client, technician, query)[name])
    crispy = as_crispy_field(_queue_form(client, technician, query)[name])
    assert _normal(ours) == _normal(crispy)


def _triage_with_errors(ticket) -> TriageForm:
    form = TriageForm(
        data={"category": "", "impact": "huge", "urgency": "high", "school": ticket.school_id, "version": "0"}
    )
    form.is_valid()
    form.add_error(None, f"Someone changed it first {SCRIPT}")
    return form


@pytest.mark.parametrize(
    "make",
    [
        TriageForm.for_ticket,
        _triage_with_errors,
        lambda ticket: ResolveForm(),
        lambda ticket: ResolveForm(data={"resolution": "", "self_help_article": "12345"}),
        lambda ticket: WaitForm(),
        lambda ticket: CloseForm(),
        lambda ticket: ReopenForm(),
    ],
    ids=["triage", "triage-invalid", "resolve", "resolve-invalid", "wait", "close", "reopen"],
)
def test_ticket_page_forms_match_crispy(ticket, hostile_names, make):
    assert _normal(quick_form(make(ticket))) == _normal(as_crispy_form(make(ticket)))


@pytest.mark.parametrize("data", [None, {"assignee": "0"}])
def test_assign_select_matches_crispy(technician, director, data):
    ours = quick_field(AssignForm(data=data, initial={"assignee": director.pk})["assignee"])
    crispy = as_crispy_field(AssignForm(data=data, initial={"assignee": director.pk})["assignee"])
    assert _normal(ours) == _normal(crispy)


class Everything(forms.Form):
    """What the pages do not use yet: option groups, help text, radios, widget classes."""

    grouped = forms.ChoiceField(
        label="Grouped",
        choices=[("", "Pick one"), ("Fruit", [("apple", "Apple"), ("pear", "Pear")]), ("other", "Other")],
        help_text="Choose <b>one</b>",
    )
    radios = forms.ChoiceField(label="Radios", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    styled = forms.ChoiceField(
        label="", choices=[("x", "X")], required=False, widget=forms.Select(attrs={"class": "form-select-sm"})
    )
    grouped_boxes = forms.MultipleChoiceField(
        label="Boxes", choices=[("G", [("1", "One"), ("2", "Two")])], widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label="Note")


@pytest.mark.parametrize("data", [None, {"grouped": "pear", "radios": "c", "grouped_boxes": ["2"]}])
@pytest.mark.parametrize("name", ["grouped", "radios", "styled", "grouped_boxes", "note"])
def test_other_choice_widgets_match_crispy(data, name):
    form, other = Everything(data=data), Everything(data=data)
    assert _normal(quick_field(form[name])) == _normal(as_crispy_field(other[name]))


def test_selected_school_and_checked_statuses(client, technician, school):
    other = factories.SchoolFactory()
    form = _queue_form(client, technician, f"school={school.pk}&status=new&status=waiting")
    html = quick_field(form["school"])
    assert '<label for="id_school" class="form-label">' in html
    assert '<select name="school" class="select form-select" id="id_school">' in html
    assert f'<option value="{school.pk}" selected>' in html
    assert f'<option value="{other.pk}">' in html
    assert '<option value="">---------</option>' in html
    boxes = quick_field(form["status"])
    assert re.findall(r'value="(\w+)" id="id_status_\d" checked', boxes) == ["new", "waiting"]
    # Every checkbox is named by its own label.
    ids = re.findall(r'<input [^>]*id="(id_status_\d)"', boxes)
    assert ids == [f"id_status_{n}" for n in range(6)]
    assert re.findall(r'<label for="(id_status_\d)"', boxes) == ids
    assert "<legend" in boxes and "<fieldset>" in boxes


def test_nothing_selected_shows_the_empty_choice(client, technician, school):
    html = quick_field(_queue_form(client, technician, "")["school"])
    assert '<option value="" selected>---------</option>' in html
    assert html.count(" selected") == 1


def test_invalid_filters_are_marked_for_assistive_technology(client, technician, school):
    form = _queue_form(client, technician, "school=999999&status=nope")
    select = quick_field(form["school"])
    assert 'class="select form-select is-invalid" aria-invalid="true" aria-describedby="id_school_error"' in select
    assert '<div id="id_school_error" class="invalid-feedback">' in select
    boxes = quick_field(form["status"])
    assert '<fieldset aria-describedby="id_status_error">' in boxes
    assert boxes.count('aria-invalid="true"') == 6
    # The message follows the last checkbox, where Bootstrap's sibling rule shows it.
    assert boxes.index('id="id_status_5"') < boxes.index('id="id_status_error"')


def test_hostile_names_and_values_are_escaped(client, technician, hostile_names):
    school, category = hostile_names
    form = _queue_form(client, technician, "status=%3Cscript%3Ealert(1)%3C/script%3E")
    html = "".join(quick_field(form[name]) for name in FILTERS)
    assert "<script>" not in html
    assert "School &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Cat &quot;&lt;script&gt;" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; is not one of the available choices" in html


def test_non_field_errors_are_escaped(ticket):
    html = quick_form(_triage_with_errors(ticket))
    assert '<div class="alert alert-block alert-danger">' in html
    assert "<li>Someone changed it first &lt;script&gt;alert(1)&lt;/script&gt;</li>" in html


def test_other_widgets_are_left_to_crispy(ticket):
    form = TriageForm.for_ticket(ticket)
    assert quick_field(form["version"]).strip() == str(form["version"]).strip()
    comment, other = CommentForm(), CommentForm()
    assert quick_field(comment["internal"]) == as_crispy_field(other["internal"])  # a checkbox


NEW_TICKET_DATA = [
    None,
    {"title": SCRIPT, "description": f"</textarea>{SCRIPT}", "needed_by": "2026-02-30", "asset_tag": "x" * 60},
    {"title": "Projector", "description": "Dark\nsince Monday", "needed_by": "2026-12-24", "requester": SCRIPT},
]


@pytest.mark.parametrize("staff", [False, True], ids=["teacher", "staff"])
@pytest.mark.parametrize("data", NEW_TICKET_DATA, ids=["blank", "invalid", "filled"])
def test_new_ticket_text_boxes_match_crispy(school, staff, data):
    def make() -> TicketCreateForm:
        form = TicketCreateForm(data=data, staff=staff)
        if data is not None:
            form.is_valid()
        return form

    names = ["title", "description", "needed_by", "asset_tag", *(["requester"] if staff else [])]
    for name in names:
        assert _normal(quick_field(make()[name])) == _normal(as_crispy_field(make()[name])), name


@pytest.mark.parametrize("data", [None, {"body": ""}, {"body": f"<b>{SCRIPT}</b>"}])
def test_comment_and_reason_boxes_match_crispy(data):
    for form_class, name in ((CommentForm, "body"), (ReopenForm, "reason"), (WaitForm, "reason")):
        forms_ = [form_class(data=None if data is None else {name: data["body"]}) for _ in range(2)]
        for form in forms_:
            if data is not None:
                form.is_valid()
        assert _normal(quick_field(forms_[0][name])) == _normal(as_crispy_field(forms_[1][name])), form_class


def test_text_box_values_are_escaped():
    form = TicketCreateForm(data={"title": SCRIPT, "description": f"</textarea>{SCRIPT}"})
    form.is_valid()
    html = quick_field(form["title"]) + quick_field(form["description"])
    assert "<script>" not in html and "</textarea><script>" not in html
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in html
    assert ">\n&lt;/textarea&gt;&lt;script&gt;" in html


def test_tags_load_in_templates(client, technician, school):
    form = _queue_form(client, technician, f"school={school.pk}")
    html = Template("{% load quick_forms %}{% quick_field form.school %}|{% quick_form form %}").render(
        Context({"form": form})
    )
    assert html.count('id="id_school"') == 2
    assert "&lt;option" not in html  # drawn as markup, not escaped twice


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize(
    ("make", "name"),
    [
        (TriageForm.for_ticket, "category"),
        (TriageForm.for_ticket, "school"),
        (lambda ticket: ResolveForm(), "self_help_article"),
        (lambda ticket: TicketCreateForm(staff=True), "school"),
    ],
    ids=["triage-category", "triage-school", "resolve-article", "new-ticket-school"],
)
def test_selects_read_once_offer_what_the_field_would(
    ticket, hostile_names, make, name, language, django_assert_num_queries
):
    """tickets.form_options.options_read_once: the options (empty choice, values, labels in the reader's
    language, order) of Django's own ModelChoiceIterator, from one query however often drawn."""
    factories.CategoryFactory(name="Printer", name_es="Impresora")
    Article.objects.create(title="Restart the projector", body="Hold the button.")
    Article.objects.create(title=f"Spare lamps {SCRIPT}", body="In the office.")
    with translation.override(language):
        form = make(ticket)
        field = form.fields[name]
        own = [(str(value), str(label)) for value, label in field.iterator(field)]
        with django_assert_num_queries(1):
            ours = [(str(value), str(label)) for value, label in field.choices]
            quick_field(form[name])
            quick_field(form[name])
    assert ours == own
    assert len(own) > 2


class DataSelect(forms.Select):
    """A widget that gives its options attributes of their own: drawn through Django's optgroups."""

    def create_option(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        option = super().create_option(*args, **kwargs)
        option["attrs"]["data-kind"] = f"kind-{option['value']}"
        return option


class Unusual(forms.Form):
    twice = forms.ChoiceField(label="Twice", choices=[("1", "One"), ("1", "One again"), (None, "None at the top")])
    nested_none = forms.ChoiceField(label="Nested", choices=[("G", [(None, "Nothing"), ("2", "Two")])], required=False)
    tagged = forms.ChoiceField(label="Tagged", choices=[("a", "A"), ("b", "B")], widget=DataSelect)


@pytest.mark.parametrize("data", [None, {"twice": "1", "nested_none": "None", "tagged": "b"}, {"twice": ""}])
@pytest.mark.parametrize("name", ["twice", "nested_none", "tagged"])
def test_unusual_selects_match_crispy(data, name):
    """Only the first matching option is selected, None is '' only outside a group, and a widget
    whose options carry attributes of their own keeps them."""
    form, other = Unusual(data=data), Unusual(data=data)
    assert _normal(quick_field(form[name])) == _normal(as_crispy_field(other[name]))
    # The plain selects take the short way; the one with attributes of its own goes through Django's.
    assert _draws_plain_options(form[name].field.widget) is (name != "tagged")
    if name == "tagged":
        assert 'data-kind="kind-a"' in quick_field(form[name])


@pytest.mark.parametrize(
    "value",
    ["plain", SCRIPT, 'it\'s "quoted" & <b>', 42, None, mark_safe("<b>safe</b>"), gettext_lazy("Status"), ""],
)
def test_the_quick_escape_is_djangos(value):
    assert _esc(value) == conditional_escape(value)


@pytest.mark.parametrize("language", ["en", "es"])
def test_queue_filters_offer_what_the_fields_would_in_one_query_each(
    client, technician, director, hostile_names, language, django_assert_num_queries
):
    """The queue's school, queue, category and assignee selects (views.pages._queue): the options of
    django-filter's own iterator (assignee: the active team, by name), kept once the page drew them."""
    from django_filters.fields import ModelChoiceIterator

    from schools.roles import staff_users

    factories.CategoryFactory(name="Printer", name_es="Impresora")
    factories.UserFactory(first_name="Not", last_name="Staff")
    factories.SchoolFactory(name="Zeta Middle")
    with translation.override(language):
        form = _queue_form(client, technician, "")
        for name in ("school", "queue", "category", "assignee"):
            field = form.fields[name]
            if name == "assignee":
                field.queryset = staff_users()
                field.label_from_instance = lambda user: user.get_full_name() or user.get_username()
            own = [(str(value), str(label)) for value, label in ModelChoiceIterator(field)]
            with django_assert_num_queries(0):  # read once, when the page drew them
                ours = [(str(value), str(label)) for value, label in field.choices]
                quick_field(form[name])
            assert ours == own, name
            assert len(own) > 2, name
    assert "Not Staff" not in [label for _value, label in form.fields["assignee"].choices]
