"""Every saved search's words are sealed now, as search.staff seals them from here
on: names typed as search words stay out of URLs and access logs too."""

from importlib import import_module

from django.db import migrations

# 0006 sealed the words that hold a phone or ID number; this seals the rest.
seal_saved = import_module(
    "search.migrations.0006_saved_searches_seal_identifiers"
).seal_saved


def seal_saved_words(apps, schema_editor):
    seal_saved(apps, bool)


class Migration(migrations.Migration):
    dependencies = [
        ("portal_search", "0007_phrase_positions"),
    ]

    operations = [
        migrations.RunPython(seal_saved_words, migrations.RunPython.noop),
    ]
