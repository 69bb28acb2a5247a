"""Models of the procedure catalogue, split by kind and re-exported here."""

from services.models.pages import ProcedureAgency, ProcedureIndexPage, ProcedurePage
from services.models.reference import AdministrativeTier, Agency, FieldOfWork, OnlineServiceLevel, Subject

__all__ = [
    "AdministrativeTier",
    "Agency",
    "FieldOfWork",
    "OnlineServiceLevel",
    "ProcedureAgency",
    "ProcedureIndexPage",
    "ProcedurePage",
    "Subject",
]
