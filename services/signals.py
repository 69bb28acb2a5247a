"""Signals the catalogue sends; other apps (search) listen without services importing them."""

from django.dispatch import Signal

#: Sent after an import has written pages, inside its transaction: ``page_ids`` (list of int).
#: Receivers should act after commit (``transaction.on_commit``) and in bulk.
catalogue_imported = Signal()

#: Sent after a dossier filing has committed: ``dossier`` (Dossier). Receivers send the receipt
#: e-mail and similar side effects; they must not raise into the citizen's request.
dossier_submitted = Signal()
