"""Exact phrases now compare runs of letters and digits as whole tokens (the
compact text marks their edges, ``search.text.compact_normal``). Forgetting every
version makes the next reconcile (hourly, or ``search_index --reconcile``) rewrite
the database engine's rows in the new form; Elasticsearch is not affected."""

from django.db import migrations


def forget_versions(apps, schema_editor):
    apps.get_model("portal_search", "SearchEntry").objects.update(version="")


class Migration(migrations.Migration):
    dependencies = [("portal_search", "0003_saved_search")]

    operations = [migrations.RunPython(forget_versions, migrations.RunPython.noop)]
