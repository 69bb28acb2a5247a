"""Builders for one-stop back-office tests: officers in their groups, dossiers at a given moment.

Shared by the workflow, deadline, admin and statistics tests. The groups are the ones migration
``services/0010_officer_groups`` creates; an officer's agency is their ``OfficerProfile``.
Agencies: ``AGENCY_A`` is the receiving agency of ``dossier_builders.online_procedure``
(``000.00.12.H36``), ``agency_b()`` another department used to prove the scope rules.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from services.dossiers.services import Applicant, dossier_submit
from services.models import Dossier, DossierStatus, OfficerProfile
from tests.services.dossier_builders import online_procedure, publish_form, receiving_agency

VN = ZoneInfo("Asia/Ho_Chi_Minh")

DESK = "Cán bộ Bộ phận Một cửa"
PROCESSOR = "Cán bộ xử lý hồ sơ"
LEADER = "Lãnh đạo cơ quan"
PROVINCE_ADMIN = "Quản trị cấp tỉnh"

AGENCY_A = "000.00.12.H36"
AGENCY_B = "000.00.20.H36"


def vn(year, month, day, hour=9, minute=0) -> datetime:
    """An aware moment in Vietnamese local time."""
    return datetime(year, month, day, hour, minute, tzinfo=VN)


def agency_a():
    return receiving_agency(AGENCY_A, "Sở Xây dựng tỉnh Lâm Đồng")


def agency_b():
    return receiving_agency(AGENCY_B, "Sở Tư pháp tỉnh Lâm Đồng")


def officer(agency, group_name: str, username: str | None = None, *, email: str | None = None, **fields):
    """A user in the group ``group_name`` with an ``OfficerProfile`` of ``agency`` (None: no profile).

    ``email`` defaults to ``<username>@example.vn``; pass ``""`` for an officer without one.
    """
    User = get_user_model()
    username = username or f"{group_name.split()[-1].lower()}-{User.objects.count() + 1}"
    user = User.objects.create_user(
        username=username, email=f"{username}@example.vn" if email is None else email, password="x", **fields
    )
    user.groups.add(Group.objects.get(name=group_name))
    if agency is not None:
        OfficerProfile.objects.create(user=user, agency=agency)
    return user


def applicant(name="Trần Thị Bình", number="068190004321", email="binh@example.vn") -> Applicant:
    return Applicant(name=name, id_type="cccd", id_number=number, phone="0987654321", email=email)


def online_form(catalogue, *, agency=None, time_limit=5, unit="working_days", code=None):
    """A published online form of a live procedure of ``agency`` (default A) with ``time_limit``."""
    kwargs = {"code": code} if code else {}
    procedure = online_procedure(catalogue, agency=agency or agency_a(), time_limit=time_limit, unit=unit, **kwargs)
    return publish_form(procedure)


def filed_dossier(form, *, now: datetime, applicant_: Applicant | None = None) -> Dossier:
    """A dossier filed online with ``form`` at ``now`` through ``dossier_submit`` (status 1)."""
    return dossier_submit(form=form, applicant=applicant_ or applicant(), answers=[], uploads=[], now=now).dossier


def set_status(dossier: Dossier, code: int, **fields) -> Dossier:
    """Puts a dossier at national status ``code`` directly (set-up only; no event written)."""
    Dossier.objects.filter(pk=dossier.pk).update(status=DossierStatus.objects.get(code=code), **fields)
    dossier.refresh_from_db()
    return dossier
