"""`get_FOO_display()` through `schools.choices.ChoiceLabels`: the same answers as Django's, cheaper."""

from unittest import mock

from django.utils import translation

from devices.models import Asset
from schools.models import School
from tickets.models import Ticket, TicketEvent


def test_labels_follow_the_active_language():
    ticket = Ticket(status=Ticket.Status.IN_PROGRESS, priority="high")
    with translation.override("en"):
        assert (ticket.get_status_display(), ticket.get_priority_display()) == ("In progress", "High")
    with translation.override("es"):
        assert ticket.get_status_display() == "En curso"
    with translation.override("en"):
        assert ticket.get_status_display() == "In progress"  # the cached labels stayed lazy


def test_a_value_outside_the_choices_shows_as_stored():
    assert Ticket(status="lost_in_the_mail").get_status_display() == "lost_in_the_mail"
    assert School(level=None).get_level_display() is None


def test_every_mixed_in_model_answers_as_django_does():
    """Django's own method, called on the same objects, gives the same label for every choice."""
    from django.db.models import Model

    for model in (Ticket, TicketEvent, School, Asset):
        for field in model._meta.fields:
            for value, _label in field.flatchoices:
                instance = model(**{field.attname: value})
                ours = getattr(instance, f"get_{field.name}_display")()
                assert ours == Model._get_FIELD_display(instance, field), (model, field.name, value)


def test_showing_one_label_translates_only_that_label():
    """Django's method translated every choice to show one (a 25-row queue: ~500 lookups)."""
    ticket = Ticket(status=Ticket.Status.WAITING)
    ticket.get_status_display()  # builds the lookup once
    with mock.patch("django.utils.translation._trans.gettext", wraps=translation._trans.gettext) as gettext:
        ticket.get_status_display()
    assert gettext.call_count == 1
