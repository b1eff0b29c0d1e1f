"""Working days from receipt to closure, kept on the petition by the close action
(the figures average it in the database); petitions closed before are filled in
from their last closure."""

from django.db import migrations, models
from django.db.models import Max

BATCH = 1000


def fill_in(apps, schema_editor):
    from petitions.deadlines import handling_working_days

    Petition = apps.get_model("petitions", "Petition")
    closed = (
        Petition.objects.filter(events__action="close")
        .annotate(closed_at=Max("events__created_at"))
        .values_list("pk", "received_at", "closed_at")
        .order_by("pk")
    )
    batch = []
    for pk, received_at, closed_at in closed.iterator(chunk_size=BATCH):
        batch.append(
            Petition(
                pk=pk,
                handling_working_days=handling_working_days(received_at, closed_at),
            )
        )
        if len(batch) == BATCH:
            Petition.objects.bulk_update(batch, ["handling_working_days"])
            batch = []
    Petition.objects.bulk_update(batch, ["handling_working_days"])


class Migration(migrations.Migration):
    dependencies = [("petitions", "0006_reply_templates")]

    operations = [
        migrations.AddField(
            model_name="petition",
            name="handling_working_days",
            field=models.PositiveIntegerField(
                blank=True,
                editable=False,
                help_text="Working days from receipt to the last closure.",
                null=True,
                verbose_name="handling working days",
            ),
        ),
        migrations.RunPython(fill_in, migrations.RunPython.noop),
    ]
