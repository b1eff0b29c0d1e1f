"""Staff-only views outside the admin menu: attachment downloads under /staff/.

StaffAccessMiddleware already demands password and code for /staff/; here the
role is checked and every download is audited.
"""

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import path
from django.views.decorators.http import require_GET

from portal.security import audit
from portal.security.roles import (
    HANDLER,
    RECEPTION,
    SUPERVISOR,
    UNIT_HEAD,
    group_names,
)

from . import access, attachments
from .models import Attachment

PETITION_ROLES = (RECEPTION, HANDLER, UNIT_HEAD, SUPERVISOR)


def works_on_petitions(user) -> bool:
    """Reception, handlers, heads and supervisors (and superusers) see petitions.

    Issue 6's access.py narrows this to the user's unit subtree.
    """
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or not group_names(user).isdisjoint(PETITION_ROLES)


@require_GET
def download_attachment(request, pk: int):
    """The stored file, as a download under its original name; never inline."""
    if not works_on_petitions(request.user):
        raise PermissionDenied
    attachment = get_object_or_404(Attachment.objects.select_related("petition"), pk=pk)
    access.petition_for(request.user, attachment.petition_id)  # 404 out of scope
    try:
        handle = open(attachments.private_path(attachment.stored_name), "rb")  # noqa: SIM115
    except (OSError, ValueError):
        raise Http404 from None
    audit.record(
        request,
        "petition.attachment_downloaded",
        obj=attachment.petition,
        attachment=attachment.pk,
    )
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


app_name = "petitions_staff"
urlpatterns = [
    path(
        "attachments/<int:pk>/",
        download_attachment,
        name="attachment",
    ),
]
