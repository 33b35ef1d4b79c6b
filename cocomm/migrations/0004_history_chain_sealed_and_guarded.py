"""Seal the history written so far into hash chains, then make every history table append-only.

Runs after every app's history tables have their chain columns; history tables added by later
migrations are guarded by the post_migrate installer (cocomm.history_guard).
"""

from django.db import migrations

from cocomm.audited_history import is_chained, seal_existing_rows
from cocomm.history_guard import history_models, install_history_guards


def seal_and_guard(apps, schema_editor):
    found = history_models(apps)
    for model in found:
        if is_chained(model):
            seal_existing_rows(model)
    install_history_guards(schema_editor.connection, found)


class Migration(migrations.Migration):
    dependencies = [
        ("cocomm", "0003_history_chain_columns"),
        ("functions", "0002_history_chain_columns"),
        ("delegation", "0003_history_chain_columns"),
        ("committees", "0004_history_chain_columns"),
        ("conflicts", "0005_history_chain_columns"),
        ("assurance", "0004_history_chain_columns"),
    ]

    operations = [migrations.RunPython(seal_and_guard, migrations.RunPython.noop)]
