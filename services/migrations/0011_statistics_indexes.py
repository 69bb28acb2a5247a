"""Covering indexes for the public statistics (issue 5 item 7; ``services.dossiers.statistics``).

The statistics count every dossier of a period by agency, procedure, channel, status and
timeliness. With these two indexes PostgreSQL answers them by an index-only scan, reading
narrow index tuples instead of the wide dossier rows (applicant, answers JSON…):

- ``dossier_stats_period``: ``submitted_at`` then the columns the counts read — the province
  over a period (``/thong-ke/``, ``/thong-ke/dich-vu-truc-tuyen/``, ``/api/statistics/*``);
- ``dossier_stats_agency_period``: the same led by ``receiving_agency`` — one agency's dashboard.

Figures before and after: docs/benchmarks.md, "Statistics (issue 5)" (``bench/dossier_statistics.py``).

PostgreSQL only (``INCLUDE`` is a PostgreSQL feature; SQLite would get plain copies of existing
indexes), built ``CONCURRENTLY`` so that filing and processing are not blocked while a large
table is indexed (hence ``atomic = False``).

The indexes are kept out of the migration state (``SeparateDatabaseAndState``): the model's
``Meta.indexes`` (services/models/dossiers.py) does not declare them, so ``makemigrations`` must
not see them either. To move them into ``Meta.indexes`` later, declare the same two
``models.Index(..., include=[...])`` there and add a migration whose
``SeparateDatabaseAndState(state_operations=[AddIndex(...), AddIndex(...)])`` records them
without building them again.
"""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models

COUNTED = ["channel", "status", "due_date", "finished_at", "returned_at", "paused_at", "procedure_code", "id"]


class AddIndexConcurrentlyOnPostgreSQL(AddIndexConcurrently):
    """``AddIndexConcurrently`` that does nothing on other databases."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("services", "0010_officer_groups")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                AddIndexConcurrentlyOnPostgreSQL(
                    model_name="dossier",
                    index=models.Index(
                        fields=["submitted_at"],
                        include=["receiving_agency", *COUNTED],
                        name="dossier_stats_period",
                    ),
                ),
                AddIndexConcurrentlyOnPostgreSQL(
                    model_name="dossier",
                    index=models.Index(
                        fields=["receiving_agency", "submitted_at"],
                        include=COUNTED,
                        name="dossier_stats_agency_period",
                    ),
                ),
            ],
            state_operations=[],
        )
    ]
