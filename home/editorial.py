"""The editorial process: editors write, moderators approve ("Legal review"), for
the content sections and for the shared facts people act on (offices, contacts).

Groups are found or created by name, so this works whether the staff-security
migration created them first or not. Editors get page permissions only on the
content sections, so the admin shows them those sections and nothing else.
"""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Workflow,
    WorkflowContentType,
    WorkflowPage,
    WorkflowTask,
)

EDITOR_GROUP = "Editor"
MODERATOR_GROUP = "Moderator"
WORKFLOW_NAME = "Legal review"

# Editors draft and submit; moderators may also publish, lock and unlock.
EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page"]
MODERATOR_PAGE_PERMISSIONS = EDITOR_PAGE_PERMISSIONS + [
    "publish_page",
    "lock_page",
    "unlock_page",
]
ADMIN_PERMISSIONS = [("wagtailadmin", "access_admin")]
SNIPPET_MODELS = ["topic", "region", "office", "contactperson"]
# Shared facts the public acts on (addresses, phone numbers): reviewed like pages.
REVIEWED_SNIPPET_MODELS = ["office", "contactperson"]


def grant_page_permissions(group, pages, codenames):
    permissions = Permission.objects.filter(
        content_type__app_label="wagtailcore", codename__in=codenames
    )
    for page in pages:
        for permission in permissions:
            GroupPagePermission.objects.get_or_create(
                group=group, page=page, permission=permission
            )


def grant_model_permissions(group, moderator: bool):
    codenames = [("wagtailadmin", "access_admin")]
    # Only models under review have a publish permission; the rest skip it below.
    actions = ["add", "change", "view"] + (["delete", "publish"] if moderator else [])
    codenames += [
        ("home", f"{action}_{model}") for model in SNIPPET_MODELS for action in actions
    ]
    for app_label, codename in codenames:
        permission = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if permission is not None:
            group.permissions.add(permission)


@transaction.atomic
def ensure_editorial_setup(section_pages) -> Workflow:
    """Groups, their permissions on `section_pages`, and the workflow on each."""
    editors = Group.objects.get_or_create(name=EDITOR_GROUP)[0]
    moderators = Group.objects.get_or_create(name=MODERATOR_GROUP)[0]
    grant_model_permissions(editors, moderator=False)
    grant_model_permissions(moderators, moderator=True)
    grant_page_permissions(editors, section_pages, EDITOR_PAGE_PERMISSIONS)
    grant_page_permissions(moderators, section_pages, MODERATOR_PAGE_PERMISSIONS)

    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=WORKFLOW_NAME, active=True)
        task = GroupApprovalTask.objects.create(name=WORKFLOW_NAME)
        task.groups.set([moderators])
        # WorkflowTask.objects, not workflow.workflow_tasks: the latter is a cluster
        # relation that only reaches the database when the workflow is saved.
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    for page in section_pages:
        WorkflowPage.objects.update_or_create(
            page=page, defaults={"workflow": workflow}
        )
    for model in REVIEWED_SNIPPET_MODELS:
        WorkflowContentType.objects.update_or_create(
            content_type=ContentType.objects.get_by_natural_key("home", model),
            defaults={"workflow": workflow},
        )
    return workflow
