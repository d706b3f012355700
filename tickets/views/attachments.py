"""Files on a ticket: upload (POST) and download (GET), both through the ticket's visibility.

A download is always `Content-Disposition: attachment`, with `nosniff` and a
sandboxing CSP, so even a file that slipped past the checks can never run as a
page of this site.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from schools.roles import SignedInRequest
from tickets import attachments, selectors
from tickets.errors import DomainError
from tickets.models import Attachment, Comment

SANDBOX_CSP = "default-src 'none'; sandbox"


class AttachmentForm(forms.Form):
    """Shape of the fields beside the files (read from request.FILES["files"]); the service
    checks sizes, types and who may attach."""

    comment = forms.IntegerField(required=False, min_value=1, max_value=2**62, widget=forms.HiddenInput)


def download_response(attachment: Attachment) -> FileResponse:
    """The file as a download the browser will not render, sniff or script."""
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_CSP
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


@login_required
@require_GET
def attachment_download(request: SignedInRequest, pk: int, attachment_pk: int) -> FileResponse:
    try:
        attachment = attachments.visible_attachment(request.user, ticket_id=pk, attachment_id=attachment_pk)
    except Attachment.DoesNotExist as error:
        raise Http404 from error
    return download_response(attachment)


@login_required
@require_POST
def attachment_upload(request: SignedInRequest, pk: int) -> HttpResponse:
    ticket = get_object_or_404(selectors.tickets_visible_to(request.user), pk=pk)
    form = AttachmentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please check the form."))
        return redirect("ticket-detail", pk=pk)
    comment = None
    if form.cleaned_data["comment"]:
        comment = Comment.objects.filter(ticket=ticket, pk=form.cleaned_data["comment"]).first()
        if comment is None:
            raise Http404
    try:
        added = attachments.add_attachments(
            actor=request.user, ticket=ticket, uploads=request.FILES.getlist("files"), comment=comment
        )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(n)s file(s) added.") % {"n": len(added)})
    return redirect("ticket-detail", pk=pk)
