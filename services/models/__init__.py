"""Models of the services app, split by kind and re-exported here."""

from services.models.calendar import CalendarAdjustment
from services.models.dossiers import (
    Channel,
    Dossier,
    DossierAttachment,
    DossierCodeSequence,
    DossierEvent,
    DossierStatus,
    private_storage,
)
from services.models.forms import OnlineServiceForm
from services.models.pages import ProcedureAgency, ProcedureIndexPage, ProcedurePage
from services.models.reference import AdministrativeTier, Agency, FieldOfWork, OnlineServiceLevel, Subject

__all__ = [
    "AdministrativeTier",
    "Agency",
    "CalendarAdjustment",
    "Channel",
    "Dossier",
    "DossierAttachment",
    "DossierCodeSequence",
    "DossierEvent",
    "DossierStatus",
    "FieldOfWork",
    "OnlineServiceForm",
    "OnlineServiceLevel",
    "ProcedureAgency",
    "ProcedureIndexPage",
    "ProcedurePage",
    "Subject",
    "private_storage",
]
