"""Reads: every survey list starts here, with its joins declared once."""

from django.db.models import QuerySet

from surveys.models import SurveyInvitation, SurveyResponse


def responses_for_directors() -> QuerySet[SurveyResponse]:
    return SurveyResponse.objects.select_related("ticket__school", "ticket__assignee", "ticket__category").order_by(
        "-answered_at", "-id"
    )


def open_follow_ups() -> QuerySet[SurveyResponse]:
    return (
        SurveyResponse.objects.filter(needs_follow_up=True, followed_up_at__isnull=True)
        .select_related("ticket__school", "ticket__assignee", "ticket__requester")
        .order_by("answered_at", "id")
    )


def recent_follow_ups(limit: int = 20) -> QuerySet[SurveyResponse]:
    return (
        SurveyResponse.objects.filter(needs_follow_up=True, followed_up_at__isnull=False)
        .select_related("ticket__school", "ticket__requester", "followed_up_by")
        .order_by("-followed_up_at")[:limit]
    )


def invitation_by_token(token: str) -> SurveyInvitation | None:
    """The invitation a link names, or None; a token no link could carry (a NUL byte, too long) names none."""
    if "\x00" in token or len(token) > (SurveyInvitation._meta.get_field("token").max_length or 0):
        return None
    return (
        SurveyInvitation.objects.select_related("ticket__assignee", "ticket__school", "ticket__requester")
        .filter(token=token)
        .first()
    )
