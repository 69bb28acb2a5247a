"""The distinct words of each fallback search entry, filled from its folded text."""

from django.db import migrations, models


def fill(apps, schema_editor):
    # As search.indexing.entry_values computes it.
    Entry = apps.get_model("portal_search", "ProcedureSearchEntry")
    batch = []
    for entry in Entry.objects.only("pk", "text_folded").iterator(chunk_size=1000):
        entry.words_folded = f" {' '.join(sorted(set(entry.text_folded.split())))} "
        batch.append(entry)
        if len(batch) == 1000:
            Entry.objects.bulk_update(batch, ["words_folded"])
            batch = []
    Entry.objects.bulk_update(batch, ["words_folded"])


class Migration(migrations.Migration):
    dependencies = [
        ("portal_search", "0003_more_synonyms"),
    ]

    operations = [
        migrations.AddField(
            model_name="proceduresearchentry",
            name="words_folded",
            field=models.TextField(default="", help_text="the distinct words of text_folded, space-padded"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
