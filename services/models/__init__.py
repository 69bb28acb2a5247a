"""Models of the services app, split by kind and re-exported here."""

from services.models.calendar import CalendarAdjustment
from services.models.dossiers import (
    Channel,
    Consultation,
    Dossier,
    DossierAttachment,
    DossierCodeSequence,
    DossierEvent,
    DossierStatus,
    OfficerProfile,
    private_storage,
)
from services.models.forms import OnlineServiceForm
from services.models.pages import ProcedureAgency, ProcedureIndexPage, ProcedurePage
from services.models.reference import AdministrativeTier, Agency, FieldOfWork, OnlineServiceLevel, Subject
from services.models.statistics import DossierMonthlyCount, StatisticsSnapshot

__all__ = [
    "AdministrativeTier",
    "Agency",
    "CalendarAdjustment",
    "Channel",
    "Consultation",
    "Dossier",
    "DossierAttachment",
    "DossierCodeSequence",
    "DossierEvent",
    "DossierMonthlyCount",
    "DossierStatus",
    "FieldOfWork",
    "OfficerProfile",
    "OnlineServiceForm",
    "OnlineServiceLevel",
    "ProcedureAgency",
    "ProcedureIndexPage",
    "ProcedurePage",
    "StatisticsSnapshot",
    "Subject",
    "private_storage",
]
