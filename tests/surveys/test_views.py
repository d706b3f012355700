import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from surveys import services as survey_services
from surveys.models import SurveyInvitation, SurveyResponse
from tests import factories

pytestmark = pytest.mark.django_db

ANSWER = {"timeliness": "4", "quality": "5", "learned": "yes", "comment": "Thanks!"}


def url(invitation, **query):
    base = reverse("survey", kwargs={"token": invitation.token})
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def checked(content: str, name: str) -> list[str]:
    """Values of the radios named `name` that render as checked."""
    import re

    return re.findall(rf'<input type="radio" name="{name}" value="(\d|yes|no)"[^>]*checked', content)


def test_get_shows_the_form_and_records_nothing(client, invitation):
    response = client.get(url(invitation, quality=5))
    assert response.status_code == 200
    assert not SurveyResponse.objects.exists()
    content = response.content.decode()
    assert invitation.ticket.title in content
    assert "<fieldset" in content and "<legend" in content
    for word in ("Very poor", "Poor", "Fair", "Good", "Excellent"):
        assert word in content
    # One press answers both: timeliness starts at the tapped rating too, and says so.
    assert checked(content, "quality") == ["5"]
    assert checked(content, "timeliness") == ["5"]
    assert "We set both answers to it" in content
    invitation.refresh_from_db()
    assert invitation.landed_at is None and invitation.tapped_quality is None


def test_the_one_press_from_the_email_records_both_ratings(client, invitation):
    client.get(url(invitation, quality=4))
    response = client.post(url(invitation), {"timeliness": "4", "quality": "4"})
    assert response.status_code == 302
    answer = SurveyResponse.objects.get()
    assert (answer.quality, answer.timeliness, answer.learned, answer.comment) == (4, 4, None, "")


def test_the_pages_script_records_the_landing_and_the_tapped_rating(client, invitation):
    landed = reverse("survey-landed", kwargs={"token": invitation.token})
    assert f'data-survey-landing="{landed}"' in client.get(url(invitation, quality=2)).content.decode()
    assert client.post(landed, {"quality": "2"}).status_code == 204
    invitation.refresh_from_db()
    assert invitation.landed_at is not None and invitation.tapped_quality == 2
    first_landing = invitation.landed_at
    # A second tab, or a later visit with another rating, keeps the first.
    assert client.post(landed, {"quality": "5"}).status_code == 204
    invitation.refresh_from_db()
    assert (invitation.landed_at, invitation.tapped_quality) == (first_landing, 2)
    assert not SurveyResponse.objects.exists()


def test_a_teacher_who_left_finds_their_tapped_rating_on_return(client, invitation):
    client.post(reverse("survey-landed", kwargs={"token": invitation.token}), {"quality": "2"})
    content = client.get(url(invitation)).content.decode()  # the plain link, no ?quality
    assert checked(content, "quality") == ["2"]
    assert checked(content, "timeliness") == ["2"]


def test_landing_without_a_rating_or_with_a_bad_one_records_the_visit_only(client, invitation):
    landed = reverse("survey-landed", kwargs={"token": invitation.token})
    assert client.post(landed, {"quality": "9"}).status_code == 204
    invitation.refresh_from_db()
    assert invitation.landed_at is not None and invitation.tapped_quality is None
    assert client.get(landed).status_code == 405  # a scanner's fetch records nothing
    assert client.post(reverse("survey-landed", kwargs={"token": "nope"})).status_code == 404


def test_landing_on_an_answered_survey_changes_nothing(client, invitation):
    client.post(url(invitation), ANSWER)
    client.post(reverse("survey-landed", kwargs={"token": invitation.token}), {"quality": "1"})
    invitation.refresh_from_db()
    assert invitation.landed_at is None and invitation.tapped_quality is None


def test_the_edit_window_sentence_ends_once(client, invitation, settings):
    settings.LANGUAGE_CODE = "en-us"
    client.post(url(invitation), ANSWER)
    content = client.get(url(invitation)).content.decode()
    assert "You can change your answer until" in content
    assert ".." not in content.split("You can change your answer until")[1].split("</div>")[0]


def test_no_rating_is_preselected_without_one_from_the_link(client, invitation):
    for query in ({}, {"quality": "9"}, {"quality": "abc"}):
        content = client.get(url(invitation, **query)).content.decode()
        assert checked(content, "quality") == []
        assert checked(content, "timeliness") == []


def test_head_from_a_mail_scanner_records_nothing(client, invitation):
    assert client.head(url(invitation, quality=1)).status_code == 200
    assert not SurveyResponse.objects.exists()


def test_post_records_the_answer_and_thanks_with_the_self_help_tip(client, invitation):
    response = client.post(url(invitation), ANSWER, follow=True)
    assert response.status_code == 200
    answer = SurveyResponse.objects.get()
    assert (answer.timeliness, answer.quality, answer.learned, answer.comment) == (4, 5, True, "Thanks!")
    assert answer.ticket == invitation.ticket
    assert "Hold the power button for ten seconds." in response.content.decode()


def test_post_accepts_boolean_learned_as_the_api_describes(client, invitation):
    client.post(url(invitation), {**ANSWER, "learned": "false"})
    assert SurveyResponse.objects.get().learned is False


@pytest.mark.parametrize(
    "bad", [{"quality": "6"}, {"quality": ""}, {"timeliness": "x"}, {"learned": "maybe"}, {"comment": "x" * 5001}]
)
def test_bad_answers_are_form_errors_not_server_errors(client, invitation, bad):
    response = client.post(url(invitation), {**ANSWER, **bad})
    assert response.status_code == 400
    assert not SurveyResponse.objects.exists()


def test_answered_survey_can_be_changed_for_twelve_hours_then_shows_already_answered(client, invitation):
    client.post(url(invitation), ANSWER)
    page = client.get(url(invitation)).content.decode()
    assert "already answered" in page
    assert checked(page, "quality") == ["5"]
    client.post(url(invitation), {**ANSWER, "quality": "3"})
    assert SurveyResponse.objects.get().quality == 3
    SurveyResponse.objects.update(answered_at=timezone.now() - timedelta(hours=13))
    response = client.post(url(invitation), {**ANSWER, "quality": "1"})
    assert response.status_code == 200
    assert "You already answered this survey" in response.content.decode()
    assert SurveyResponse.objects.count() == 1
    assert SurveyResponse.objects.get().quality == 3


def test_expired_survey_shows_a_friendly_page(client, invitation, settings):
    settings.SURVEY_EXPIRY_DAYS = 30
    SurveyInvitation.objects.update(sent_at=timezone.now() - timedelta(days=31))
    response = client.get(url(invitation))
    assert response.status_code == 410
    assert "This survey has closed" in response.content.decode()
    assert client.post(url(invitation), ANSWER).status_code == 410
    assert not SurveyResponse.objects.exists()


def test_unknown_or_tampered_token_is_404(client, invitation):
    tampered = invitation.token[:-1] + ("A" if invitation.token[-1] != "A" else "B")
    assert client.get(reverse("survey", kwargs={"token": tampered})).status_code == 404
    assert client.post(reverse("survey", kwargs={"token": tampered}), ANSWER).status_code == 404
    assert client.get(reverse("survey", kwargs={"token": "x"})).status_code == 404
    assert not SurveyResponse.objects.exists()


def test_guessing_tokens_is_throttled_per_address(client, invitation):
    for n in range(20):
        assert client.get(f"/surveys/guess{n}/").status_code == 404
    assert client.get("/surveys/guess-more/").status_code == 429
    # Only misses slow down: a valid link still works from that address (256 random bits
    # leave nothing to guess), and another address's misses are its own.
    assert client.get(url(invitation)).status_code == 200
    assert client.get("/surveys/guess-elsewhere/", REMOTE_ADDR="10.9.8.7").status_code == 404


def test_the_assignee_signed_in_sees_an_explanation_and_cannot_answer(client, invitation, technician):
    client.force_login(technician)
    response = client.get(url(invitation))
    assert response.status_code == 403
    assert "You worked on this request" in response.content.decode()
    assert client.post(url(invitation), ANSWER).status_code == 403
    assert not SurveyResponse.objects.exists()


def test_the_requester_signed_in_can_answer(client, invitation, teacher):
    client.force_login(teacher)
    assert client.post(url(invitation), ANSWER).status_code == 302
    assert SurveyResponse.objects.count() == 1


def test_email_link_opens_the_page_with_its_rating_chosen(client, invitation):
    [email] = [m for m in mail.outbox if "How did we do?" in m.subject]
    link = next(line.split(": ", 1)[1] for line in email.body.splitlines() if line.strip().startswith("2 - "))
    path = link.replace("https://helpdesk.district.example", "")
    content = client.get(path).content.decode()
    assert checked(content, "quality") == ["2"]


def test_thanks_page_before_answering_goes_back_to_the_survey(client, invitation):
    response = client.get(reverse("survey-thanks", kwargs={"token": invitation.token}))
    assert response.status_code == 302


# --- the director's pages ---------------------------------------------------------------------


def answer_poorly(invitation, **extra):
    return survey_services.record_answer(
        invitation=invitation, user=invitation.ticket.requester, timeliness=2, quality=1, **extra
    )


def test_follow_up_list_is_for_directors_only(client, invitation, technician, teacher):
    assert client.get("/surveys/follow-up/").status_code == 302  # to sign in
    for user in (teacher, technician):
        client.force_login(user)
        assert client.get("/surveys/follow-up/").status_code == 403


def test_follow_up_list_shows_poor_answers_until_someone_follows_up(client, invitation, director):
    answer = answer_poorly(invitation, comment="Still broken")
    client.force_login(director)
    page = client.get("/surveys/follow-up/").content.decode()
    assert "Still broken" in page and invitation.ticket.title in page
    response = client.post(f"/surveys/follow-up/{answer.pk}/", {"note": "Called, visiting Tuesday"})
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.followed_up_by == director
    page = client.get("/surveys/follow-up/").content.decode()
    assert "Nothing needs follow-up right now." in page
    assert "Called, visiting Tuesday" in page


def test_follow_up_without_a_note_is_refused(client, invitation, director):
    answer = answer_poorly(invitation)
    client.force_login(director)
    client.post(f"/surveys/follow-up/{answer.pk}/", {"note": ""})
    answer.refresh_from_db()
    assert answer.followed_up_at is None


def test_csv_export_neutralises_formulas(client, invitation, director, teacher):
    survey_services.record_answer(
        invitation=invitation, user=teacher, timeliness=4, quality=4, comment='=HYPERLINK("http://evil","x")'
    )
    client.force_login(director)
    response = client.get("/surveys/responses.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["id", "ticket", "school"]
    assert rows[1][rows[0].index("comment")] == '\'=HYPERLINK("http://evil","x")'
    assert rows[1][rows[0].index("quality")] == "4"


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_start_is_neutralised(start):
    from tickets.csv import neutralise

    assert neutralise(f"{start}1+1") == f"'{start}1+1"
    assert neutralise("plain") == "plain"


def test_csv_export_is_for_directors_and_validates_filters(client, invitation, technician, director):
    client.force_login(technician)
    assert client.get("/surveys/responses.csv").status_code == 403
    client.force_login(director)
    assert client.get("/surveys/responses.csv?date_from=not-a-date").status_code == 400
    assert client.get("/surveys/responses.csv?school=999999").status_code == 400


def test_csv_export_filters_by_school(client, director, technician, category, django_capture_on_commit_callbacks):
    from tests.surveys.conftest import work_and_close

    tickets = []
    for _ in range(2):
        requester = factories.UserFactory(profile__school=factories.SchoolFactory())
        ticket = factories.TicketFactory(requester=requester, category=category)
        work_and_close(ticket, technician)
        survey_services.record_answer(invitation=ticket.survey_invitation, user=requester, timeliness=5, quality=5)
        tickets.append(ticket)
    client.force_login(director)
    response = client.get(f"/surveys/responses.csv?school={tickets[0].school_id}")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row[1] for row in rows[1:]] == [str(tickets[0].pk)]
