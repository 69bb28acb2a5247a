"""Writes of dossiers: online filing (``dossier_submit``) and the dossier code sequence.

Rules: Decree 61/2018 Art 18–20, Circular 01/2018 Art 6 (dossier code, receipt), DOMAIN.md §4.
"""

import logging
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from services.dossiers.uploads import CheckedUpload
from services.models import (
    Agency,
    Channel,
    Dossier,
    DossierAttachment,
    DossierCodeSequence,
    DossierEvent,
    DossierStatus,
    OnlineServiceForm,
    ProcedurePage,
)
from services.signals import dossier_submitted
from services.workdays import working_calendar

logger = logging.getLogger(__name__)

#: National status code of a dossier just filed online (DOMAIN.md §4: 1 new/submitted).
STATUS_NEW = 1


class FilingError(Exception):
    """The dossier cannot be filed; ``message`` is Vietnamese and meant for the citizen."""


@dataclass
class Applicant:
    """The person or organisation filing: name, identity document, contacts, address parts."""

    name: str
    id_type: str
    id_number: str
    phone: str = ""
    email: str = ""
    address: dict = field(default_factory=dict)

    def dossier_fields(self) -> dict:
        """The ``Dossier`` fields (``applicant_*``) this applicant fills, for ``Dossier(**...)``."""
        return {
            "applicant_name": self.name,
            "applicant_id_type": self.id_type,
            "applicant_id_number": self.id_number,
            "applicant_phone": self.phone,
            "applicant_email": self.email,
            "applicant_address": self.address,
        }


@dataclass
class Submission:
    dossier: Dossier
    created: bool


def dossier_code_allocate(*, agency: Agency, day: date) -> str:
    """The next dossier code of ``agency`` on ``day``: ``<agency id>-YYMMDD-XXXX``.

    XXXX restarts at 0001 each day for each agency (Circular 01/2018 Art 6(2)); past 9999 it
    keeps counting with more digits rather than repeat a code. Must run inside the caller's
    transaction: the row lock taken by the increment is held until commit, so concurrent
    filings for one agency wait for each other and never share a number (case C17), and a
    rolled-back filing gives its number back.

    Raises:
        FilingError: the agency has no QCVN 102:2016 identifier to build codes from.
    """
    if not agency.identifier:
        raise FilingError(_("Cơ quan tiếp nhận chưa có mã định danh, chưa thể cấp mã hồ sơ."))
    DossierCodeSequence.objects.get_or_create(agency=agency, day=day)
    sequences = DossierCodeSequence.objects.filter(agency=agency, day=day)
    sequences.update(last=F("last") + 1)
    number = sequences.values_list("last", flat=True).get()
    return f"{agency.identifier}-{day:%y%m%d}-{number:04d}"


def procedure_time_limit(
    procedure: ProcedurePage, *, case_title: str = "", channel: str = Channel.ONLINE
) -> tuple[Decimal | None, str]:
    """``(time_limit, unit)`` of ``channel`` in the procedure's case titled ``case_title``.

    The case is the one whose title matches (else the first); the channel falls back to the
    in-person one when the case states no time limit for ``channel`` (catalogues often give one
    limit for all channels). ``unit`` is a ``TIME_UNIT_CHOICES`` value ("working_days", "days"…);
    ``(None, "")`` when no number is given.
    """
    cases = [block.value for block in procedure.cases]
    if not cases:
        return None, ""
    case = next((c for c in cases if case_title and (c.get("title") or "") == case_title), cases[0])
    channels = list(case.get("channels") or [])
    for wanted in (channel, Channel.IN_PERSON):
        for entry in channels:
            if entry.get("channel") == wanted and entry.get("time_limit") is not None:
                return Decimal(entry["time_limit"]), entry.get("time_unit") or "working_days"
    return None, ""


def _write_files(uploads: list[tuple[dict, CheckedUpload]], *, now: datetime, stored: list) -> list[str]:
    """Writes the uploads to private storage before the filing's transaction; returns their names.

    Written first so that the per-agency code sequence row (locked from allocation to commit)
    is never held while files are copied: one agency's filings then wait only for each other's
    inserts, not for their uploads. ``stored`` collects the names for clean-up on failure.
    """
    from services.models import private_storage

    folder = f"dossiers/{timezone.localtime(now):%Y/%m}/{uuid.uuid4().hex}"
    names = []
    for _slot, upload in uploads:
        upload.file.seek(0)
        name = private_storage.save(f"{folder}/{upload.storage_name}", File(upload.file))
        stored.append(name)
        names.append(name)
    return names


def _attach(dossier: Dossier, uploads: list[tuple[dict, CheckedUpload]], names: list[str]) -> None:
    DossierAttachment.objects.bulk_create(
        [
            DossierAttachment(
                dossier=dossier,
                component=slot["label"],
                field_id=slot["id"],
                file=name,
                original_name=upload.original_name,
                content_type=upload.content_type,
                size=upload.size,
                sha256=upload.sha256,
            )
            for (slot, upload), name in zip(uploads, names, strict=True)
        ]
    )


def dossier_submit(
    *,
    form: OnlineServiceForm,
    applicant: Applicant,
    answers: list[dict],
    uploads: list[tuple[dict, CheckedUpload]],
    submission_key: uuid.UUID | None = None,
    now: datetime | None = None,
) -> Submission:
    """Files a dossier online with the live version of ``form``, in one transaction.

    Args:
        form: a published ``OnlineServiceForm`` of a live procedure.
        applicant: who files (id number already validated and normalised).
        answers: ``[{"id", "type", "label", "value"}]`` for the form's questions.
        uploads: ``(slot, CheckedUpload)`` pairs, ``slot`` being the file question's answer dict.
        submission_key: the key printed in the form; a second submission with the same key
            returns the first dossier (``created=False``) instead of filing twice (case C16).
        now: the time of reception (aware), default now.

    The dossier gets status 1 (new), a code from ``dossier_code_allocate`` and a due date from
    the online channel's time limit counted by ``services.workdays`` from the reception date
    (15:00 cut-off). The agency sets the binding due date when it accepts the dossier; this one
    is what the citizen is told to expect (Circular 01/2018 form 01).

    Raises:
        FilingError: the form is not published, its procedure is not live or does not allow
            online filing, or no receiving agency with an identifier is known.
    """
    if submission_key is not None:
        existing = Dossier.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return Submission(existing, False)
    procedure = form.procedure
    if not form.live or procedure is None or not procedure.live or not procedure.allows_online_filing:
        raise FilingError(_("Thủ tục này hiện không nhận hồ sơ trực tuyến."))
    agency = form.implementing_agency()
    if agency is None:
        raise FilingError(_("Chưa xác định được cơ quan tiếp nhận hồ sơ của thủ tục này."))

    now = now or timezone.now()
    calendar = working_calendar()
    time_limit, unit = procedure_time_limit(procedure, case_title=form.case_title)
    received_on = calendar.reception_date(now)
    due_date = calendar.due_date(now, time_limit, unit) if time_limit is not None else None
    status = DossierStatus.objects.get(code=STATUS_NEW)

    stored: list[str] = []
    try:
        names = _write_files(uploads, now=now, stored=stored)
        with transaction.atomic():
            code = dossier_code_allocate(agency=agency, day=timezone.localdate(now))
            dossier = Dossier.objects.create(
                code=code,
                procedure=procedure,
                procedure_code=procedure.code,
                procedure_name=procedure.name,
                case_title=form.case_title,
                online_form=form,
                form_revision_id=form.live_revision_id,
                receiving_agency=agency,
                channel=Channel.ONLINE,
                **applicant.dossier_fields(),
                answers=answers,
                status=status,
                submitted_at=now,
                received_on=received_on,
                time_limit=time_limit,
                time_unit=unit,
                due_date=due_date,
                submission_key=submission_key,
            )
            _attach(dossier, uploads, names)
            DossierEvent.objects.create(
                dossier=dossier,
                at=now,
                to_status=status,
                action="submit",
                note=_("Nộp hồ sơ trực tuyến trên Cổng Dịch vụ công."),
            )
            transaction.on_commit(lambda: dossier_submitted.send(sender=Dossier, dossier=dossier))
    except IntegrityError:
        _discard_files(stored)
        if submission_key is not None:
            existing = Dossier.objects.filter(submission_key=submission_key).first()
            if existing is not None:
                return Submission(existing, False)
        raise
    except BaseException:
        _discard_files(stored)
        raise
    return Submission(dossier, True)


def _discard_files(names: list[str]) -> None:
    """Files written for a filing that rolled back: the database forgets them, so must the disk."""
    from services.models import private_storage

    for name in names:
        try:
            private_storage.delete(name)
        except OSError:
            logger.exception("Could not delete orphan dossier file %s", name)


#: Words that mark a dossier component as needed only in some situations.
_OPTIONAL_MARKERS = ("nếu có", "trường hợp", "đối với")

DECLARATION = "Tôi xin cam đoan những thông tin khai trên là đúng sự thật và chịu trách nhiệm trước pháp luật."


def online_form_draft_from_procedure(
    *, procedure: ProcedurePage, case_title: str = "", questions: list[dict] | None = None
) -> OnlineServiceForm:
    """An unsaved ``OnlineServiceForm`` for ``procedure`` built from its catalogue record.

    One upload slot per dossier component of the case (required unless its name says it is
    needed only in some situations: "nếu có", "trường hợp…"), ``questions`` (StreamField
    ``{"type", "value"}`` dicts) before them, and the applicant's declaration last. Editors
    review and publish it; nothing reaches citizens before that (case C14).
    """
    cases = [block.value for block in procedure.cases]
    case = next((c for c in cases if (c.get("title") or "") == case_title), cases[0] if cases else None)
    fields = list(questions or [])
    for component in (case.get("components") if case else None) or []:
        name = " ".join(str(component.get("name") or "").split())
        if not name:
            continue
        label = name if len(name) <= 500 else name[:497] + "…"
        counts = []
        if component.get("originals"):
            counts.append(_("%(n)s bản chính") % {"n": component["originals"]})
        if component.get("copies"):
            counts.append(_("%(n)s bản sao") % {"n": component["copies"]})
        fields.append(
            {
                "type": "file",
                "value": {
                    "label": label,
                    "help_text": name if label != name else "",
                    "required": not any(marker in name.lower() for marker in _OPTIONAL_MARKERS),
                    "accepted_types": ["pdf", "jpg", "png", "docx"],
                    "max_size_mb": "10",
                    "multiple": True,
                    "copies_note": ", ".join(counts),
                },
            }
        )
    fields.append({"type": "checkbox", "value": {"label": DECLARATION, "help_text": "", "required": True}})
    title = procedure.title if not case_title else f"{procedure.title} — {case_title}"
    return OnlineServiceForm(title=title[:255], procedure=procedure, case_title=case_title, fields=fields, intro="")
