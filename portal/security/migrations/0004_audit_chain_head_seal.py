"""The audit chain's head gets a keyed seal chained over every entry
(portal.security.audit.seal_after), so a chain rewritten and re-hashed in the
database no longer verifies. The entries as they stand are sealed now."""

from django.db import migrations, models

# Frozen copy of portal.security.audit's seal: purpose and message.
SEAL_PURPOSE = b"audit-chain-head"


def seal_head(apps, schema_editor):
    from portal.security.crypto import keyed_digest

    AuditChainHead = apps.get_model("security", "AuditChainHead")
    AuditEntry = apps.get_model("security", "AuditEntry")
    seal = ""
    entries = AuditEntry.objects.order_by("id").values_list("id", "entry_hash")
    for entry_id, entry_hash in entries.iterator():
        seal = keyed_digest(f"{seal}:{entry_id}:{entry_hash}", SEAL_PURPOSE)
    AuditChainHead.objects.update(seal=seal)


class Migration(migrations.Migration):
    dependencies = [
        ("security", "0003_field_encryption_key_check"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditchainhead",
            name="seal",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.RunPython(seal_head, migrations.RunPython.noop),
    ]
