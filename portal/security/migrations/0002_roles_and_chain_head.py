"""Create the audit chain's lock row and the staff roles (Wagtail groups)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ACCESS_ADMIN = "wagtailadmin.access_admin"
CONTENT = [
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
]
# Frozen copy of the role tables as of this migration (see roles.sync_roles).
ROLE_PERMISSIONS = {
    "Editor": [ACCESS_ADMIN],
    "Moderator": [ACCESS_ADMIN],
    "Reception": [ACCESS_ADMIN],
    "Handler": [ACCESS_ADMIN],
    "Unit head": [ACCESS_ADMIN],
    "Supervisor": [ACCESS_ADMIN],
    "Security administrator": [
        ACCESS_ADMIN,
        "security.manage_second_factors",
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
    ],
    "Auditor": [ACCESS_ADMIN, "security.view_auditentry"],
}
# Page permissions are granted per content section by home/editorial.py.
PAGE_PERMISSIONS = {}
COLLECTION_PERMISSIONS = {"Editor": CONTENT, "Moderator": CONTENT}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    from portal.security.roles import sync_roles

    sync_roles(apps, ROLE_PERMISSIONS, PAGE_PERMISSIONS, COLLECTION_PERMISSIONS)


def create_chain_head(apps, schema_editor):
    AuditChainHead = apps.get_model("security", "AuditChainHead")
    AuditChainHead.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [
        ("security", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [
        migrations.RunPython(create_chain_head, migrations.RunPython.noop),
        migrations.RunPython(create_roles, migrations.RunPython.noop),
    ]
