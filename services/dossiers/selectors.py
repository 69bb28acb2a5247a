"""Reads of dossiers for citizens: lookup by code and id number, status history."""

import hmac

from services.models import Dossier
from services.validators import normalize_id_number


def dossier_find(*, code: str, id_number: str) -> Dossier | None:
    """The dossier with ``code`` whose applicant's id number is ``id_number``, else None.

    An unknown code and a wrong id number give the same None (and take the same path through
    the comparison), so a lookup reveals nothing about codes that exist (Circular 01/2018 Art 6
    lets anyone with the code track a dossier; the id number stops guessing by code alone).
    """
    code = (code or "").strip().upper()
    number = normalize_id_number(id_number)
    dossier = (
        Dossier.objects.select_related("status", "receiving_agency", "procedure").filter(code=code).first()
        if code and number
        else None
    )
    expected = dossier.applicant_id_number if dossier else "-" * len(number)
    if not hmac.compare_digest(expected.encode(), number.encode()) or dossier is None:
        return None
    return dossier


def dossier_history(dossier: Dossier) -> list:
    """The dossier's events, oldest first, with their statuses: ``[DossierEvent]``."""
    return list(dossier.events.select_related("to_status", "from_status").order_by("at", "id"))
