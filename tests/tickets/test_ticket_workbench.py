"""The technician's ticket page (issue 19): the one composer, send and set status, saved
replies, merging duplicates, followers, and who else is here."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from notifications.models import OutboundEmail
from tests import factories
from tests.tickets.pages import client_for
from tickets import compose, followers, merge, presence, services
from tickets.errors import Conflict, DomainError, PermissionDenied
from tickets.models import Attachment, Comment, SavedReply, Ticket, TicketEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def comment_url(ticket: Ticket) -> str:
    return reverse("ticket-comment", args=[ticket.pk])


# --- the composer ------------------------------------------------------------------------------


def test_composer_switch_says_who_reads_it_and_the_button_names_the_requester(technician, teacher, ticket):
    teacher.first_name = "Ana"
    teacher.save()
    html = client_for(technician).get(reverse("ticket-detail", args=[ticket.pk])).content.decode()
    assert 'name="kind" value="reply"' in html and 'name="kind" value="note"' in html
    assert "Internal note — only staff see this" in html
    assert "Send to Ana" in html and "Add internal note" in html
    assert 'data-key="r"' in html and 'data-key="n"' in html and 'data-key="s"' in html and 'data-key="a"' in html


def test_a_note_chosen_in_the_composer_is_saved_internal_and_never_emailed(technician, ticket):
    response = client_for(technician).post(comment_url(ticket), {"body": "Lamp is EOL", "kind": "note"})
    comment = Comment.objects.get()
    assert comment.internal
    assert response.status_code == 302 and response.url.endswith(f"#comment-{comment.pk}")
    assert not OutboundEmail.objects.filter(to=ticket.requester.email, kind="reply").exists()


def test_a_reply_chosen_in_the_composer_is_public_even_with_a_stray_internal_box(technician, ticket):
    client_for(technician).post(comment_url(ticket), {"body": "On my way", "kind": "reply", "internal": "on"})
    assert not Comment.objects.get().internal


def test_the_requester_reply_returns_to_the_new_comment(teacher, ticket):
    response = client_for(teacher).post(comment_url(ticket), {"body": "It is room 12"})
    assert response.url.endswith(f"#comment-{Comment.objects.get().pk}")


def test_an_action_returns_to_the_action_area_not_the_page_top(technician, ticket):
    response = client_for(technician).post(reverse("ticket-start", args=[ticket.pk]))
    assert response.url == reverse("ticket-detail", args=[ticket.pk]) + "#actions-heading"


def test_insert_without_script_redraws_the_page_with_the_reply_filled_in_and_sends_nothing(technician, teacher, ticket):
    teacher.first_name = "Ana"
    teacher.save()
    reply = SavedReply.objects.create(
        title="Restart", body="Hi {first_name}, please restart.", shared=True, owner=factories.DirectorFactory()
    )
    response = client_for(technician).post(
        comment_url(ticket), {"body": "First line", "kind": "reply", "saved_reply": reply.pk, "insert_reply": "1"}
    )
    assert response.status_code == 200
    assert response.context["comment_form"]["body"].value() == "First line\n\nHi Ana, please restart."
    assert not Comment.objects.exists()


def test_the_picker_lists_shared_and_own_replies_only(technician, ticket):
    SavedReply.objects.create(title="Shared one", body="x", shared=True, owner=factories.DirectorFactory())
    SavedReply.objects.create(title="My own", body="x", owner=technician)
    SavedReply.objects.create(title="A colleague's", body="x", owner=factories.TechnicianFactory())
    html = client_for(technician).get(reverse("ticket-detail", args=[ticket.pk])).content.decode()
    assert "Shared one" in html and "My own" in html and "A colleague&#x27;s" not in html


def test_a_colleagues_private_reply_cannot_be_inserted(technician, ticket):
    theirs = SavedReply.objects.create(title="Private", body="secret", owner=factories.TechnicianFactory())
    response = client_for(technician).post(
        comment_url(ticket), {"body": "", "saved_reply": theirs.pk, "insert_reply": "1"}
    )
    assert "secret" not in response.content.decode()
    assert not Comment.objects.exists()


# --- send and set status -------------------------------------------------------------------------


def test_send_and_wait_on_a_part_posts_the_reply_and_holds_in_one_step(technician, ticket):
    services.start_ticket(actor=technician, ticket=ticket)
    response = client_for(technician).post(
        comment_url(ticket),
        {"body": "Ordered a new lamp.", "kind": "reply", "then": "wait_third_party", "reason": "Lamp on order"},
    )
    ticket.refresh_from_db()
    comment = Comment.objects.get()
    assert (ticket.status, ticket.waiting_on) == ("waiting", "third_party")
    assert not comment.internal
    assert response.url.endswith(f"#comment-{comment.pk}")


def test_send_and_wait_without_a_reason_saves_nothing(technician, ticket):
    response = client_for(technician).post(
        comment_url(ticket), {"body": "Can you send a photo?", "kind": "reply", "then": "wait_requester"}
    )
    ticket.refresh_from_db()
    assert response.status_code == 200  # the composer again, its error on the reason
    assert "reason" in response.context["comment_form"].errors
    assert ticket.status == "new" and not Comment.objects.exists()


def test_send_and_resolve_records_the_fix_and_the_tip(technician, ticket):
    client_for(technician).post(
        comment_url(ticket),
        {"body": "Replaced the lamp.", "kind": "reply", "then": "resolve", "self_help": "Check the lamp hours."},
    )
    ticket.refresh_from_db()
    assert (ticket.status, ticket.resolution, ticket.self_help) == (
        "resolved",
        "Replaced the lamp.",
        "Check the lamp hours.",
    )
    assert list(OutboundEmail.objects.filter(to=ticket.requester.email).values_list("kind", flat=True)) == [
        "acknowledgement",
        "resolved",
    ]


def test_a_note_cannot_be_the_fix(technician, ticket):
    with pytest.raises(DomainError):
        compose.send_and_set_status(actor=technician, ticket=ticket, body="internal", internal=True, then="resolve")
    ticket.refresh_from_db()
    assert ticket.status == "new"


def test_send_and_set_status_follows_the_transition_rules(technician, ticket):
    services.resolve_ticket(actor=technician, ticket=ticket, resolution="Done.")
    with pytest.raises(DomainError):
        compose.send_and_set_status(
            actor=technician, ticket=ticket, body="more", then="wait_requester", reason="Need info"
        )
    assert not Comment.objects.exists()  # the reply went back with the refused hold


def test_a_stale_triage_save_is_still_refused_after_a_colleague_sends_and_holds(technician, ticket, category):
    page_version = ticket.version
    colleague = factories.TechnicianFactory()
    compose.send_and_set_status(actor=colleague, ticket=ticket, body="Ordered.", then="wait_third_party", reason="Part")
    response = client_for(technician).post(
        reverse("ticket-update", args=[ticket.pk]),
        {
            "category": category.pk,
            "impact": "high",
            "urgency": "high",
            "school": ticket.school_id,
            "version": page_version,
        },
        follow=True,
    )
    ticket.refresh_from_db()
    assert ticket.impact != "high" or ticket.urgency != "high"
    assert any("Someone else changed this ticket" in str(m) for m in response.context["messages"])


# --- merging duplicates --------------------------------------------------------------------------


def test_merge_copies_the_conversation_closes_the_duplicate_and_tells_its_requester(technician, category, school):
    first, second = factories.UserFactory(profile__school=school), factories.UserFactory(profile__school=school)
    target = factories.TicketFactory(requester=first, category=category)
    source = factories.TicketFactory(requester=second, category=category, title="Projector dead too")
    comment = services.add_comment(actor=second, ticket=source, body="Room 14 as well")
    Attachment.objects.create(
        ticket=source,
        comment=comment,
        uploaded_by=second,
        file="attachments/x",
        original_name="photo.png",
        content_type="image/png",
        size=3,
    )
    merge.merge_ticket(actor=technician, source=source, target_id=target.pk)
    source.refresh_from_db()
    assert (source.status, source.merged_into_id) == ("closed", target.pk)
    bodies = list(target.comments.values_list("body", flat=True))
    assert "Room 14 as well" in bodies and any("Merged from" in body for body in bodies)
    assert target.attachments.get().comment.body == "Room 14 as well"
    assert set(target.followers.all()) == {second}
    assert source.events.filter(kind=TicketEvent.Kind.MERGED, data__into=target.pk).exists()
    assert target.events.filter(kind=TicketEvent.Kind.MERGED_IN, data__source=source.pk).exists()
    told = OutboundEmail.objects.get(to=second.email, kind="merged")
    assert told.ticket_id == source.pk and f"#{target.pk}" in told.body_text
    assert not hasattr(source, "survey_invitation") or source.survey_invitation is None


def test_merge_refuses_itself_a_closed_target_and_a_missing_one(technician, ticket, category):
    closed = factories.TicketFactory(requester=ticket.requester, category=category)
    services.close_ticket(actor=technician, ticket=closed)
    with pytest.raises(DomainError):
        merge.merge_ticket(actor=technician, source=ticket, target_id=ticket.pk)
    with pytest.raises(Conflict):
        merge.merge_ticket(actor=technician, source=ticket, target_id=closed.pk)
    with pytest.raises(DomainError):
        merge.merge_ticket(actor=technician, source=ticket, target_id=closed.pk + 1000)
    ticket.refresh_from_db()
    assert ticket.status == "new" and ticket.merged_into_id is None


def test_a_requester_cannot_merge(teacher, ticket, category):
    other = factories.TicketFactory(requester=teacher, category=category)
    with pytest.raises(PermissionDenied):
        merge.merge_ticket(actor=teacher, source=ticket, target_id=other.pk)
    assert client_for(teacher).post(reverse("ticket-merge", args=[ticket.pk]), {"target": other.pk}).status_code == 404


def test_merge_page_shows_a_refusal_on_the_form_and_a_success_lands_on_the_target(technician, ticket, category):
    client = client_for(technician)
    refused = client.post(reverse("ticket-merge", args=[ticket.pk]), {"target": f"#{ticket.pk}"})
    assert refused.status_code == 200 and "target" in refused.context["merge_form"].errors
    target = factories.TicketFactory(requester=ticket.requester, category=category)
    done = client.post(reverse("ticket-merge", args=[ticket.pk]), {"target": f"#{target.pk}"})
    assert done.url == reverse("ticket-detail", args=[target.pk]) + "#conversation-heading"
    page = client.get(reverse("ticket-detail", args=[ticket.pk])).content.decode()
    assert f"Closed as a duplicate of ticket #{target.pk}" in page


# --- followers -----------------------------------------------------------------------------------


def test_staff_and_colleagues_may_follow_but_not_people_of_another_school(technician, ticket, school):
    colleague = factories.UserFactory(profile__school=school)
    outsider = factories.UserFactory(profile__school=factories.SchoolFactory())
    followers.add_follower(actor=technician, ticket=ticket, follower=colleague)
    followers.add_follower(actor=technician, ticket=ticket, follower=factories.TechnicianFactory())
    with pytest.raises(DomainError):
        followers.add_follower(actor=technician, ticket=ticket, follower=outsider)
    assert ticket.followers.count() == 2
    assert ticket.events.filter(kind=TicketEvent.Kind.FOLLOWERS).count() == 2


def test_followers_get_the_public_updates_but_not_notes(technician, ticket, school):
    colleague = factories.UserFactory(profile__school=school)
    followers.add_follower(actor=technician, ticket=ticket, follower=colleague)
    services.add_comment(actor=technician, ticket=ticket, body="Internal", internal=True)
    assert not OutboundEmail.objects.filter(to=colleague.email).exists()
    services.add_comment(actor=technician, ticket=ticket, body="On my way")
    services.wait_ticket(actor=technician, ticket=ticket, reason="Lamp", on="third_party")
    assert sorted(OutboundEmail.objects.filter(to=colleague.email).values_list("kind", flat=True)) == [
        "reply",
        "waiting",
    ]


def test_follower_page_add_and_remove(technician, ticket, school):
    colleague = factories.UserFactory(profile__school=school, first_name="Rosa")
    client = client_for(technician)
    added = client.post(reverse("ticket-follower-add", args=[ticket.pk]), {"follower": colleague.pk})
    assert added.url.endswith("#followers-heading") and list(ticket.followers.all()) == [colleague]
    assert "Rosa" in client.get(reverse("ticket-detail", args=[ticket.pk])).content.decode()
    client.post(reverse("ticket-follower-remove", args=[ticket.pk, colleague.pk]))
    assert not ticket.followers.exists()


def test_a_requester_cannot_change_followers(teacher, ticket, other_teacher):
    response = client_for(teacher).post(
        reverse("ticket-follower-add", args=[ticket.pk]), {"follower": other_teacher.pk}
    )
    assert response.status_code == 404 and not ticket.followers.exists()


# --- presence ------------------------------------------------------------------------------------


def presence_of(user, ticket, **params) -> str:
    return client_for(user).get(reverse("ticket-presence", args=[ticket.pk]), params).content.decode()


def test_a_second_technician_is_told_who_else_is_viewing_or_replying(technician, ticket):
    rivera = factories.TechnicianFactory(first_name="Maria", last_name="Rivera")
    assert "viewing" not in presence_of(rivera, ticket)
    assert "Maria Rivera is also viewing this ticket." in presence_of(technician, ticket)
    presence_of(rivera, ticket, state="replying")
    assert "Maria Rivera is replying to this ticket." in presence_of(technician, ticket)


def test_presence_degrades_to_nothing_when_the_cache_is_down(technician, ticket, monkeypatch):
    presence_of(factories.TechnicianFactory(first_name="Maria"), ticket)

    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(presence.cache, "get", down)
    response = client_for(technician).get(reverse("ticket-presence", args=[ticket.pk]))
    assert response.status_code == 200 and "Maria" not in response.content.decode()


def test_new_activity_is_announced_when_someone_else_changed_the_ticket(technician, teacher, ticket):
    since = ticket.events.order_by("-pk").first().pk
    assert "New activity" not in presence_of(technician, ticket, since=since)
    services.add_comment(actor=technician, ticket=ticket, body="Mine")
    assert "New activity" not in presence_of(technician, ticket, since=since)  # one's own is not news
    services.add_comment(actor=teacher, ticket=ticket, body="Theirs")
    assert "New activity" in presence_of(technician, ticket, since=since)


def test_requesters_see_new_activity_but_never_who_on_the_desk_is_reading(technician, teacher, ticket):
    presence_of(technician, ticket)
    since = ticket.events.order_by("-pk").first().pk
    services.add_comment(actor=technician, ticket=ticket, body="internal", internal=True)
    html = presence_of(teacher, ticket, since=since)
    assert "viewing" not in html and "New activity" not in html  # an internal note is not theirs to see
    services.add_comment(actor=technician, ticket=ticket, body="public")
    assert "New activity" in presence_of(teacher, ticket, since=since)


def test_a_colleague_who_follows_may_read_and_answer_but_not_change_the_status(technician, ticket, school):
    colleague = factories.UserFactory(profile__school=school)
    bystander = factories.UserFactory(profile__school=school)
    services.wait_ticket(actor=technician, ticket=ticket, reason="Which room?", on="requester")
    followers.add_follower(actor=technician, ticket=ticket, follower=colleague)
    # The link in the emails they get opens the ticket; a colleague who does not follow gets 404.
    assert client_for(colleague).get(reverse("ticket-detail", args=[ticket.pk])).status_code == 200
    assert client_for(bystander).get(reverse("ticket-detail", args=[ticket.pk])).status_code == 404
    services.add_comment(actor=colleague, ticket=ticket, body="It is room 14, next door to mine.")
    ticket.refresh_from_db()
    assert ticket.status == "waiting"  # only the requester's answer resumes a ticket waiting on them
    with pytest.raises(PermissionDenied):
        services.add_comment(actor=bystander, ticket=ticket, body="Me too")
    assert services.allowed_actions(colleague, ticket) == []  # no confirm, reopen or close for them


def test_followers_are_told_whose_request_it_is_in_their_language(technician, ticket, school):
    english = factories.UserFactory(profile__school=school)
    spanish = factories.UserFactory(profile__school=school, profile__language="es")
    for person in (english, spanish):
        followers.add_follower(actor=technician, ticket=ticket, follower=person)
    services.add_comment(actor=technician, ticket=ticket, body="On my way")
    services.wait_ticket(actor=technician, ticket=ticket, reason="A new lamp", on="third_party")
    requester = ticket.requester.get_full_name() or ticket.requester.get_username()
    emails = {(e.to, e.kind): e for e in OutboundEmail.objects.filter(to__in=[english.email, spanish.email])}
    reply, waiting = emails[(english.email, "reply")], emails[(english.email, "waiting")]
    assert f"on {requester}'s request #{ticket.pk}" in reply.body_text and "which you follow" in reply.body_html
    assert "your request" not in reply.body_text.lower()
    assert f"{requester}'s request #{ticket.pk}" in waiting.body_text and "See the request" in waiting.body_html
    assert "nothing you need to do" not in waiting.body_text  # the requester's next step is not theirs
    assert "que usted sigue" in emails[(spanish.email, "reply")].body_text
    assert "que usted sigue, está en espera" in emails[(spanish.email, "waiting")].body_html
    # The requester's own emails keep speaking to them.
    own = OutboundEmail.objects.get(to=ticket.requester.email, kind="reply")
    assert "on your request" in own.body_text
