"""JSON dossier tracking (django-ninja router, mounted by ``cms.api`` at ``/api/dossiers``).

``GET /api/dossiers/{code}?id_number=...`` answers what ``/tra-cuu-ho-so/`` shows: status,
history, due date and timeliness. An unknown code and a wrong id number get the same 404 body;
lookups share the page's per-client rate limit (``views_tracking.lookup_limited``) and answer
429 past it. Responses are ``Cache-Control: private, no-store``.

The id number travels in the query string, as the portal's public interface states it: clients
should keep it out of their own logs, and the proxy in front of the portal should not log query
strings of ``/api/dossiers/``.
"""

from datetime import date, datetime
from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.decorators import decorate_view

from services.dossiers.selectors import dossier_find
from services.dossiers.views_tracking import (
    NOT_FOUND_MESSAGE,
    RATE_LIMITED_MESSAGE,
    DossierTracking,
    dossier_tracking,
    lookup_limited,
    no_store,
)

router = Router(tags=["dossiers"])


class ProcedureOut(Schema):
    code: str
    name: str


class StatusOut(Schema):
    code: int
    name: str


class HistoryEntry(Schema):
    at: datetime
    status_code: int
    status: str
    note: str


class DossierOut(Schema):
    code: str
    procedure: ProcedureOut
    status: StatusOut
    submitted_at: datetime
    due_date: date | None
    timeliness: Literal["early", "on_time", "late"] | None
    history: list[HistoryEntry]
    receiving_agency: str


class Message(Schema):
    detail: str


def tracking_as_dict(tracking: DossierTracking) -> dict:
    """``DossierOut`` of ``tracking``: national status codes, public status names, local times."""
    dossier = tracking.dossier
    return {
        "code": dossier.code,
        "procedure": {"code": dossier.procedure_code, "name": dossier.procedure_name},
        "status": {"code": dossier.status.code, "name": dossier.status.public_name},
        "submitted_at": timezone.localtime(dossier.submitted_at),
        "due_date": dossier.due_date,
        "timeliness": tracking.timeliness.value if tracking.timeliness else None,
        "history": [
            {
                "at": timezone.localtime(event.at),
                "status_code": event.to_status.code,
                "status": event.to_status.public_name,
                "note": event.note,
            }
            for event in tracking.history
        ],
        "receiving_agency": dossier.receiving_agency.name,
    }


@router.get(
    "/{code}",
    response={200: DossierOut, 404: Message, 429: Message},
    summary="Tra cứu hồ sơ theo mã và số giấy tờ của người nộp",
)
@decorate_view(no_store)
def dossier_tracking_endpoint(
    request: HttpRequest,
    response: HttpResponse,
    code: str,
    id_number: Query[str],
):
    """Status (national code and public name), history, due date and timeliness of a dossier.

    ``code`` is the dossier code of the receipt (``<agency id>-YYMMDD-XXXX``, any case);
    ``id_number`` the applicant's identity document number (spaces, dots, dashes ignored).
    ``timeliness`` is ``early``/``on_time``/``late`` (a dossier in progress is ``on_time`` until
    its due date passes), ``null`` without a due date. Times are Vietnamese local time.
    An unknown code and a wrong id number give the same 404; too many lookups from one client
    (``DOSSIER_LOOKUP_RATE``, default 10 a minute, page and API together) give 429.
    """
    retry_after = lookup_limited(request)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
        return Status(429, {"detail": str(RATE_LIMITED_MESSAGE)})
    dossier = dossier_find(code=code, id_number=id_number)
    if dossier is None:
        return Status(404, {"detail": str(NOT_FOUND_MESSAGE)})
    return Status(200, tracking_as_dict(dossier_tracking(dossier)))
