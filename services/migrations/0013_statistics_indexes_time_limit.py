"""The covering indexes of 0011 also carry ``original_due_date``.

Timeliness is judged against the time limit's due date, ``original_due_date`` else ``due_date``
(``Dossier.time_limit_due_date``: an apology's new date moves the appointment, not the limit),
so the statistics read ``original_due_date`` too; without it in the index every counted row
would be fetched from the table again. Each index is dropped and built again under the same
name, ``CONCURRENTLY`` (no write lock), PostgreSQL only and out of the migration state, exactly
as 0011 explains.
"""

from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import migrations, models

OLD = ["channel", "status", "due_date", "finished_at", "returned_at", "paused_at", "procedure_code", "id"]
NEW = ["channel", "status", "due_date", "original_due_date", "finished_at", "returned_at", "paused_at",
       "procedure_code", "id"]  # fmt: skip


class OnPostgreSQL:
    """Mixin: the operation does nothing on other databases (SQLite has no ``INCLUDE``)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class AddIndexConcurrentlyOnPostgreSQL(OnPostgreSQL, AddIndexConcurrently):
    pass


class RemoveIndexConcurrentlyOnPostgreSQL(OnPostgreSQL, RemoveIndexConcurrently):
    pass


def _indexes(counted):
    return [
        models.Index(fields=["submitted_at"], include=["receiving_agency", *counted], name="dossier_stats_period"),
        models.Index(fields=["receiving_agency", "submitted_at"], include=counted, name="dossier_stats_agency_period"),
    ]


def _operations():
    # Removing needs the index in the (database-side) state, so each step runs on a state that
    # holds the old index: remove old, add new; backwards the reverse.
    operations = []
    for old, new in zip(_indexes(OLD), _indexes(NEW), strict=True):
        operations += [
            AddIndexToStateOnly(model_name="dossier", index=old),
            RemoveIndexConcurrentlyOnPostgreSQL(model_name="dossier", name=old.name),
            AddIndexConcurrentlyOnPostgreSQL(model_name="dossier", index=new),
            RemoveIndexFromStateOnly(model_name="dossier", name=new.name),
        ]
    return operations


class AddIndexToStateOnly(migrations.AddIndex):
    def database_forwards(self, *args):
        pass

    def database_backwards(self, *args):
        pass


class RemoveIndexFromStateOnly(migrations.RemoveIndex):
    def database_forwards(self, *args):
        pass

    def database_backwards(self, *args):
        pass


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("services", "0012_statistics_snapshots")]

    operations = [migrations.SeparateDatabaseAndState(database_operations=_operations(), state_operations=[])]
