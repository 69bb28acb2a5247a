"""Signals the catalogue sends; other apps (search) listen without services importing them."""

from django.dispatch import Signal

#: Sent after an import has written pages, inside its transaction: ``page_ids`` (list of int).
#: Receivers should act after commit (``transaction.on_commit``) and in bulk.
catalogue_imported = Signal()
