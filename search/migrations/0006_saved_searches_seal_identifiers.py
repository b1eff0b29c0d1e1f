"""Saved searches may hold longer (sealed) words; phone and ID numbers already saved
in clear are sealed now, as search.staff seals them from here on."""

import re

from django.db import migrations, models
from django.http import QueryDict

# Frozen copies of search.staff.IDENTIFIER_LIKE and SEAL_PURPOSE.
IDENTIFIER_LIKE = re.compile(r"\d(?:[\s\-.()/]*\d){6,}")
SEAL_PURPOSE = b"staff-search-url"


def fold_width(text: str) -> str:
    return "".join(
        chr(ord(char) - 0xFEE0) if 0xFF01 <= ord(char) <= 0xFF5E else char
        for char in text
    )


def seal_saved_identifiers(apps, schema_editor):
    seal_saved(apps, lambda words: IDENTIFIER_LIKE.search(fold_width(words)))


def seal_saved(apps, needs_seal):
    """Seal the words of every saved search whose words ``needs_seal``."""
    from portal.security.crypto import encrypt

    SavedSearch = apps.get_model("portal_search", "SavedSearch")
    for saved in SavedSearch.objects.filter(query_string__contains="q="):
        params = QueryDict(saved.query_string, mutable=True)
        words = params.get("q", "")
        if not needs_seal(words):
            continue
        params.pop("q")
        params["sealed"] = encrypt(words, purpose=SEAL_PURPOSE)
        saved.query_string = params.urlencode()
        saved.save(update_fields=["query_string"])


class Migration(migrations.Migration):
    dependencies = [
        ("portal_search", "0005_search_build"),
    ]

    operations = [
        migrations.AlterField(
            model_name="savedsearch",
            name="query_string",
            field=models.TextField(blank=True),
        ),
        migrations.RunPython(seal_saved_identifiers, migrations.RunPython.noop),
    ]
