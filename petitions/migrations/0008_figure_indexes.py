"""Indexes for what the figures count and filter: open petitions by their next
date, the clocks, and steps of one kind in a period."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("petitions", "0007_handling_working_days")]

    operations = [
        migrations.AddIndex(
            model_name="event",
            index=models.Index(
                fields=["action", "created_at"], name="event_action_created"
            ),
        ),
        migrations.AddIndex(
            model_name="petition",
            index=models.Index(
                fields=["status", "expected_by"], name="petition_status_due"
            ),
        ),
        migrations.AddIndex(
            model_name="petition",
            index=models.Index(fields=["due_at"], name="petition_due_at"),
        ),
        migrations.AddIndex(
            model_name="petition",
            index=models.Index(fields=["accept_by"], name="petition_accept_by"),
        ),
    ]
