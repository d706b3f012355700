"""The contract's inbound rules (API.md, "Email"), through handle_raw and the command."""

from email.message import EmailMessage
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from notifications import threading
from notifications.models import InboundEmail, OutboundEmail
from tickets import email_in, services
from tickets.models import Comment, Ticket

pytestmark = pytest.mark.django_db
User = get_user_model()
_count = iter(range(10**6))


@pytest.fixture(autouse=True)
def district(settings):
    settings.INBOUND_EMAIL_DOMAINS = ["district.example"]


def mail(sender: str, body: str = "Hello", *, subject: str = "Projector dark", **headers: str) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "helpdesk@district.example"
    message["Subject"] = subject
    message["Message-ID"] = headers.pop("Message_ID", f"<m{next(_count)}@mail.example>")
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message.as_bytes()


def reply_to(ticket: Ticket, sender: str, body: str, **headers: str) -> bytes:
    root = threading.ticket_root(ticket.pk)
    return mail(
        sender,
        body,
        subject=f"Re: New reply: [#{ticket.pk}] {ticket.title}",
        In_Reply_To=root,
        References=root,
        **headers,
    )


QUOTED = "\n\nOn Mon, Jan 5, 2026 at 9:00 AM IT Help Desk <helpdesk@district.example> wrote:\n> We are on it\n"


def test_requester_reply_becomes_their_public_comment_without_the_quote(ticket, teacher):
    result = email_in.handle_raw(reply_to(ticket, teacher.email, "It is still dark." + QUOTED))
    assert result.outcome == "comment" and result.ticket_id == ticket.pk
    comment = Comment.objects.get(ticket=ticket)
    assert (comment.author, comment.body, comment.internal) == (teacher, "It is still dark.", False)
    assert InboundEmail.objects.get().outcome == "comment"


def test_subject_tag_alone_threads_a_reply(ticket, teacher):
    email_in.handle_raw(mail(teacher.email.upper(), "More detail", subject=f"RE: [#{ticket.pk}] whatever"))
    assert Comment.objects.get(ticket=ticket).body == "More detail"


def test_requester_reply_to_a_resolved_ticket_reopens_it(ticket, teacher, technician):
    services.assign_ticket(actor=technician, ticket=ticket, assignee=technician)
    services.resolve_ticket(actor=technician, ticket=ticket, resolution="New lamp")
    result = email_in.handle_raw(reply_to(ticket, teacher.email, "Not fixed, it flickers."))
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.ASSIGNED and "reopened" in result.detail
    assert ticket.comments.get().body == "Not fixed, it flickers."


def test_requester_reply_to_a_waiting_ticket_resumes_it(ticket, teacher, technician):
    services.assign_ticket(actor=technician, ticket=ticket, assignee=technician)
    services.wait_ticket(actor=technician, ticket=ticket, reason="Which room?")
    email_in.handle_raw(reply_to(ticket, teacher.email, "Room 12."))
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.IN_PROGRESS


def test_technician_reply_by_email_is_a_staff_comment(ticket, technician):
    email_in.handle_raw(reply_to(ticket, technician.email, "I will come at 2."))
    ticket.refresh_from_db()
    assert ticket.comments.get().author == technician and ticket.first_response_at is not None


def test_a_forged_tag_from_someone_else_files_their_own_ticket_and_never_touches_that_one(ticket, other_teacher):
    result = email_in.handle_raw(reply_to(ticket, other_teacher.email, "Close this please"))
    assert result.outcome == "ticket" and result.ticket_id != ticket.pk
    assert not ticket.comments.exists()
    assert Ticket.objects.get(pk=result.ticket_id).requester == other_teacher


def test_new_mail_from_a_user_files_a_ticket_at_their_home_school(teacher, category):
    result = email_in.handle_raw(mail(teacher.email, "The projector in room 4 is dark.", subject="Projector"))
    ticket = Ticket.objects.get(pk=result.ticket_id)
    assert (ticket.requester, ticket.school, ticket.title) == (teacher, teacher.profile.school, "Projector")
    assert ticket.description == "The projector in room 4 is dark."
    assert OutboundEmail.objects.filter(ticket=ticket, kind="acknowledgement", to=teacher.email).exists()


def test_an_unknown_district_address_becomes_a_requester(school, category, settings):
    settings.INBOUND_EMAIL_SCHOOL = school.code
    result = email_in.handle_raw(mail("New Teacher <new.teacher@district.example>", "Cannot log in"))
    user = User.objects.get(email="new.teacher@district.example")
    assert (user.first_name, user.last_name) == ("New", "Teacher")
    assert Ticket.objects.get(pk=result.ticket_id).requester == user


def test_without_a_school_for_the_sender_it_needs_a_look_and_makes_no_one(category):
    result = email_in.handle_raw(mail("stranger@district.example", "Help"))
    assert result.outcome == "needs_look"
    assert not User.objects.filter(email="stranger@district.example").exists()
    assert InboundEmail.objects.get().outcome == "needs_look"


def test_outsiders_file_nothing_and_get_at_most_one_answer_a_day(category):
    for _ in range(3):
        assert email_in.handle_raw(mail("someone@gmail.example", "Hi")).outcome == "not_filed"
    assert not Ticket.objects.exists()
    assert OutboundEmail.objects.filter(to="someone@gmail.example", kind="email_not_filed").count() == 1


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto_Submitted": "auto-replied"},
        {"X_Autoreply": "yes"},
        {"Precedence": "bulk"},
        {"From": "MAILER-DAEMON@district.example"},
    ],
)
def test_automatic_mail_is_ignored(teacher, ticket, headers):
    sender = headers.pop("From", teacher.email)
    result = email_in.handle_raw(reply_to(ticket, sender, "I am out of the office", **headers))
    assert result.outcome == "ignored"
    assert not ticket.comments.exists() and Ticket.objects.count() == 1


def test_our_own_mail_is_ignored(ticket):
    assert email_in.handle_raw(reply_to(ticket, "helpdesk@district.example", "loop")).outcome == "ignored"


def test_a_message_id_seen_before_is_skipped(teacher, category):
    data = mail(teacher.email, "Once", Message_ID="<same@x>")
    assert email_in.handle_raw(data).outcome == "ticket"
    assert email_in.handle_raw(data).outcome == "duplicate"
    assert Ticket.objects.count() == 1


def test_oversized_mail_needs_a_look_and_is_refused_politely_once(teacher, settings):
    settings.INBOUND_EMAIL_MAX_BYTES = 500
    big = mail(teacher.email, "x" * 1000, Message_ID="<big@x>")
    assert email_in.handle_raw(big).outcome == "needs_look"
    assert email_in.handle_raw(mail(teacher.email, "y" * 1000)).outcome == "needs_look"
    assert InboundEmail.objects.filter(outcome="needs_look").count() == 2
    assert OutboundEmail.objects.filter(to=teacher.email, kind="email_refused").count() == 1


def test_attachments_pass_the_upload_checks(teacher, category):
    message = EmailMessage()
    message["From"] = teacher.email
    message["Subject"] = "Screenshot"
    message["Message-ID"] = "<att@x>"
    message.set_content("See attached")
    message.add_attachment(b"\x89PNG\r\n\x1a\n" + b"\x00" * 5000, "image", "png", filename="screen.png")
    message.add_attachment(b"MZ\x90\x00" + b"\x00" * 100, "application", "octet-stream", filename="tool.exe")
    message.add_attachment(b"\x78\x9f\x3e\x22" + b"\x00" * 100, "application", "ms-tnef", filename="winmail.dat")
    result = email_in.handle_raw(message.as_bytes())
    ticket = Ticket.objects.get(pk=result.ticket_id)
    assert [a.original_name for a in ticket.attachments.all()] == ["screen.png"]
    assert "tool.exe" in result.detail and "winmail.dat" in result.detail


def test_ingest_email_command_reads_a_file_or_stdin(teacher, category, tmp_path, monkeypatch):
    path = tmp_path / "m.eml"
    path.write_bytes(mail(teacher.email, "From a file"))
    out = StringIO()
    call_command("ingest_email", str(path), stdout=out)
    assert out.getvalue().startswith("ticket #")

    class Stdin:
        buffer = __import__("io").BytesIO(mail(teacher.email, "From stdin"))

    monkeypatch.setattr("sys.stdin", Stdin)
    out = StringIO()
    call_command("ingest_email", stdout=out)
    assert out.getvalue().startswith("ticket #") and Ticket.objects.count() == 2


def test_the_task_does_nothing_without_a_mailbox(settings):
    from tickets.tasks import ingest_mailbox

    settings.INBOUND_EMAIL_URL = ""
    assert ingest_mailbox() == 0


def test_at_most_n_automatic_answers_per_address_per_day_breaks_loops(teacher, category, settings):
    """A robot at a district address that writes again and again (and does not say it is a
    robot) files its tickets, but gets only INBOUND_EMAIL_AUTO_ANSWERS_PER_DAY answers."""
    settings.INBOUND_EMAIL_AUTO_ANSWERS_PER_DAY = 3
    results = [email_in.handle_raw(mail(teacher.email, "Ping", subject=f"Alert {n}")) for n in range(5)]
    assert [r.outcome for r in results] == ["ticket"] * 5
    assert OutboundEmail.objects.filter(to=teacher.email, kind="acknowledgement").count() == 3
    assert "not acknowledged" in results[-1].detail and "not acknowledged" not in results[2].detail


def test_requests_filed_on_the_site_do_not_count_toward_the_cap(teacher, category, settings):
    settings.INBOUND_EMAIL_AUTO_ANSWERS_PER_DAY = 1
    for n in range(2):
        services.create_ticket(
            actor=teacher, title=f"Web {n}", description="x", category=category, impact="medium", urgency="medium"
        )
    email_in.handle_raw(mail(teacher.email, "By email", subject="Emailed"))
    emailed = Ticket.objects.get(title="Emailed")
    assert OutboundEmail.objects.filter(ticket=emailed, kind="acknowledgement").exists()
    assert OutboundEmail.objects.filter(to=teacher.email, kind="acknowledgement").count() == 3


def test_the_cap_counts_every_kind_of_automatic_answer(settings, category):
    """An outsider's "not filed" answer and a "too large" refusal to the same address count
    together; after the cap neither goes, whatever the kind."""
    settings.INBOUND_EMAIL_AUTO_ANSWERS_PER_DAY = 1
    settings.INBOUND_EMAIL_MAX_BYTES = 500
    assert email_in.handle_raw(mail("robot@vendor.example", "Hi")).detail.endswith("(answered)")
    big = email_in.handle_raw(mail("robot@vendor.example", "x" * 1000))
    assert big.outcome == "needs_look" and "answered" not in big.detail
    assert OutboundEmail.objects.filter(to="robot@vendor.example").count() == 1


def test_the_demo_sample_message_files_a_request_for_the_demo_teacher(school, category):
    """seed_demo prints `ingest_email demo/sample_email.eml` as the way to try email in."""
    from django.conf import settings as django_settings

    from tests import factories

    teacher = factories.UserFactory(username="teacher", email="teacher@demo.district.example", profile__school=school)
    out = StringIO()
    call_command("ingest_email", str(django_settings.BASE_DIR / "demo" / "sample_email.eml"), stdout=out)
    assert out.getvalue().startswith("ticket #")
    ticket = Ticket.objects.get(requester=teacher)
    assert ticket.title == "Projector in room 4 shows no image"
    assert "class at 10" in ticket.description and "iPhone" not in ticket.description
