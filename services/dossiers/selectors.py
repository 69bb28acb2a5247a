"""Reads of dossiers for citizens: lookup by code and id number, status history."""

import hmac

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from services.models import Dossier, OfficerProfile
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


# -- officers' scope (one-stop back office, issue 5) ----------------------------------------------


def dossiers_for_user(user) -> QuerySet[Dossier]:
    """The dossiers ``user`` may list, open and act on in the back office.

    Superusers and holders of ``services.view_all_dossiers`` (provincial administrators) see
    every dossier; an officer (``user.officer``, an ``OfficerProfile``) holding
    ``services.view_dossier`` sees the dossiers received by their own agency
    (``receiving_agency``); anyone else (anonymous, inactive, staff without an officer profile)
    sees none. Decree 61/2018 Art 8–12: each one-stop desk and agency handles its own dossiers.
    The workflow functions (``services.dossiers.workflow``) check every write against this set.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return Dossier.objects.none()
    if user.is_superuser or user.has_perm("services.view_all_dossiers"):
        return Dossier.objects.all()
    agency_id = OfficerProfile.objects.filter(user_id=user.pk).values_list("agency_id", flat=True).first()
    if agency_id is None or not user.has_perm("services.view_dossier"):
        return Dossier.objects.none()
    return Dossier.objects.filter(receiving_agency_id=agency_id)


def dossier_for_user(user, code: str) -> Dossier:
    """The dossier ``code`` if ``user`` may see it (``dossiers_for_user``).

    Raises:
        Http404: no such dossier, or it belongs to another agency: both answer alike, so an
            officer cannot probe another agency's codes.
    """
    code = (code or "").strip().upper()
    return get_object_or_404(
        dossiers_for_user(user).select_related("status", "receiving_agency", "procedure", "assigned_to"), code=code
    )


def person_name(user) -> str:
    """A user's name as Vietnamese write it: family name first (``last_name first_name``).

    Wagtail's user form has "first name" and "last name" fields; "Nguyễn Thị" + "Lan" must read
    "Nguyễn Thị Lan", not ``get_full_name``'s "Lan Nguyễn Thị". Falls back to the user name;
    "" for nobody.
    """
    if user is None:
        return ""
    name = " ".join(part.strip() for part in (user.last_name, user.first_name) if part and part.strip())
    return name or user.get_username()
