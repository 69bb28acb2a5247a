"""Official scoring of the one-stop service (chấm điểm đánh giá), pure functions without the ORM.

Rules: Decree 61/2018 Art 28–32 and Circular 01/2018/TT-VPCP Art 13–15 (DOMAIN.md §5). Nine
indices (chỉ số), each scored 2 / 1 / 0 per dossier (hồ sơ) or per unit:

====  ==========================================================  ==============================
 #    index                                                        source here
====  ==========================================================  ==============================
 1    total handling time against the time limit                   the dossier's timestamps
 2    each participating unit's time against its own limit         hand-overs and consultations
 3    contacts with the desk needed to complete the dossier        the citizen's answer
 4    agencies the applicant had to contact                        the citizen's answer
 5    whole process at the one-stop desk (unit)                    the agency's self-assessment
 6    publicity of the procedure (unit)                            the agency's self-assessment
 7    staff attitude                                               the citizen's answer
 8    handling of feedback and petitions (unit)                    the agency's self-assessment
 9    online service progress (unit)                               the agency's self-assessment
====  ==========================================================  ==============================

Aggregation (Circular 01/2018 Art 15): an index's score over a group of dossiers is the sum
of its per-dossier scores divided by the number of dossiers that have a score for it, rounded
half up to one decimal; an index with no data in the group is excluded (not counted as 0).
Totals add the rounded index scores of the indices that have data, without rescaling: an
agency without a self-assessment can reach 10 of 18 at most, and the published tables show
which indices counted.

Every score here is an ``int`` (per dossier) or a ``Decimal`` with one decimal place
(aggregates); ``None`` means "no data" and is never turned into 0. The database-side
computation in ``evaluation.publication`` applies the same rules in SQL
(tests/evaluation/test_publication.py checks it against hand-computed values).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

#: The nine official indices and their short Vietnamese names (Circular 01/2018 Art 13–15).
INDEX_NAMES = {
    1: _("Tổng thời gian giải quyết so với thời gian quy định"),
    2: _("Thời gian thực hiện của từng cơ quan, đơn vị tham gia giải quyết"),
    3: _("Số lần liên hệ Bộ phận Một cửa để hoàn thiện hồ sơ"),
    4: _("Số cơ quan, đơn vị phải liên hệ"),
    5: _("Giải quyết toàn bộ tại Bộ phận Một cửa"),
    6: _("Công khai thủ tục hành chính"),
    7: _("Thái độ của cán bộ"),
    8: _("Tiếp nhận, xử lý phản ánh, kiến nghị"),
    9: _("Tiến độ cung cấp dịch vụ công trực tuyến"),
}
ALL_INDICES = tuple(range(1, 10))
#: Indices scored per dossier (the officer's indices, max 10 points).
DOSSIER_INDICES = (1, 2, 3, 4, 7)
#: Indices the citizen answers (the survey questions tied to an index).
CITIZEN_INDICES = (3, 4, 7)
#: Indices scored per unit and quarter by the agency's self-assessment.
UNIT_INDICES = (5, 6, 8, 9)
SCORES = (0, 1, 2)

_TENTH = Decimal("0.1")


def _check_score(value, what: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or value not in SCORES:
        raise ValueError(f"{what} must be 0, 1 or 2 (or None), got {value!r}")
    return int(value)


# -- per dossier ---------------------------------------------------------------------------


def time_score(done_on: date | None, due_on: date | None) -> int | None:
    """2 / 1 / 0 for a piece of work finished before / on / after its due date; ``None`` without data.

    Both are local dates (Asia/Ho_Chi_Minh). Due dates already count working days (the due date
    is the last working day of the limit, ``services.workdays``), so "equal" (1 point) means the
    work was done during the last working day of its limit, "shorter" (2) any earlier day, and
    "longer" (0) any later day, whether or not that later day is a working day. ``None`` when
    either date is missing: the work is not finished or had no computable limit.
    Circular 01/2018 Art 13–15 (indices 1 and 2: shorter 2, equal 1, longer 0).
    """
    if done_on is None or due_on is None:
        return None
    if done_on < due_on:
        return 2
    if done_on == due_on:
        return 1
    return 0


def index_1(*, finished_on: date | None, due_date: date | None, original_due_date: date | None = None) -> int | None:
    """Index 1: the dossier's total handling time against the time limit of the procedure.

    Arguments:
        finished_on: local date the result was ready (``finished_at``, else ``returned_at``),
            ``None`` while the dossier is in progress (no score yet).
        due_date: the due date in force; ``original_due_date``: the date first given at
            acceptance, if the date was moved by an apology letter (form 04).

    The limit is the one the law gives, i.e. the original due date: moving the date once with
    an apology (Decree 61/2018 Art 19) does not make a late dossier on time. A supplement
    request during appraisal restarts the limit, and the workflow then sets both dates anew,
    so the restarted limit is the one used. Returns 2 / 1 / 0 (``time_score``) or ``None``.
    Circular 01/2018 Art 13–15, index 1.
    """
    return time_score(finished_on, original_due_date or due_date)


def index_2(units: Iterable[tuple[date | None, date | None]], *, fallback: int | None) -> int | None:
    """Index 2: each participating unit's time against its own limit, combined for the dossier.

    ``units`` holds one ``(done_on, due_on)`` pair (local dates) per participating unit: each
    hand-over to a processing officer with a step due date (form 05) ends at the next hand-over
    or at the result, and each consultation of another unit ends when it answers (or, never
    answered, when the result was ready). Units without a due date are left out.

    Combination: the dossier scores the **lowest** of its units' scores: 2 only if every unit
    finished before its own limit, 0 as soon as one unit was late. A single late unit delays
    the applicant whatever the others did, so an average would hide it.

    A dossier without any unit limit was handled by the receiving agency alone within the
    dossier's limit: it scores ``fallback`` (its index 1). ``None`` when nothing is known.
    Circular 01/2018 Art 13–15, index 2.
    """
    scores = [time_score(done_on, due_on) for done_on, due_on in units if due_on is not None]
    if not scores:
        return _check_score(fallback, "fallback")
    if any(score is None for score in scores):
        return None
    return min(scores)


def answer_index(scores: Iterable[int | None]) -> int | None:
    """Index 3, 4 or 7 of one dossier from the citizen's answers tied to that index.

    ``scores`` are the 2 / 1 / 0 points of the chosen options (``None``: not answered). A
    survey normally asks one question per index; when a template asks several, the dossier
    scores the lowest, so that a complaint in one answer is not averaged away. ``None`` when
    no question of the index was answered (the index has no data for this dossier).
    ``ValueError`` for a score other than 0, 1, 2. Circular 01/2018 Art 13–15, indices 3, 4, 7.
    """
    checked = [_check_score(score, "answer score") for score in scores]
    answered = [score for score in checked if score is not None]
    return min(answered) if answered else None


# -- aggregation ---------------------------------------------------------------------------


def index_score(total: int, count: int) -> Decimal | None:
    """``total / count`` rounded half up to one decimal, as ``Decimal``; ``None`` when ``count`` is 0.

    ``total`` is the sum of per-dossier (or per-quarter) scores 0–2, ``count`` the number of
    dossiers with a score for the index. Integer arithmetic, so 23 / 20 = 1.15 gives 1.2 exactly
    (in floats 23 / 20 is 1.149999…, which rounds to 1.1). ``ValueError`` for a negative count,
    a negative total or a total above 2 x count. Circular 01/2018 Art 15.
    """
    if count < 0 or total < 0 or total > 2 * count:
        raise ValueError(f"impossible index tally: total {total} over {count} dossiers")
    if count == 0:
        return None
    # round(10 * total / count) half up, in integers: floor((20 * total + count) / (2 * count)).
    # The same as Decimal(total) / count quantized with ROUND_HALF_UP, without relying on the
    # 28-digit context for long repeating quotients.
    tenths = (20 * total + count) // (2 * count)
    return Decimal(tenths) * _TENTH


def index_scores(tallies: Mapping[int, tuple[int, int]]) -> dict[int, Decimal]:
    """``{index: score}`` from ``{index: (total, count)}``, indices without data left out."""
    scores = {}
    for index, (total, count) in tallies.items():
        score = index_score(total, count)
        if score is not None:
            scores[index] = score
    return scores


def _sum(scores: Mapping[int, Decimal | None], indices: tuple[int, ...]) -> Decimal:
    return sum((scores[i] for i in indices if scores.get(i) is not None), Decimal("0.0"))


class OfficerBand(models.TextChoices):
    """Completion band of an officer (mức độ hoàn thành nhiệm vụ) from the 10-point total."""

    FULL = "full", _("Hoàn thành 100% nhiệm vụ")
    MOST = "most", _("Hoàn thành từ 70% đến dưới 100% nhiệm vụ")
    BELOW = "below", _("Hoàn thành dưới 70% nhiệm vụ")


class AgencyClass(models.TextChoices):
    """Classification of an agency or unit (xếp loại) from the 18-point total."""

    EXCELLENT = "excellent", _("Xuất sắc")
    GOOD = "good", _("Tốt")
    FAIR = "fair", _("Khá")
    AVERAGE = "average", _("Trung bình")
    POOR = "poor", _("Yếu")


def officer_total(scores: Mapping[int, Decimal | None]) -> Decimal:
    """The officer's total: the sum of indices 1, 2, 3, 4, 7 that have data (max 10.0).

    ``scores`` maps an index to its rounded score (``index_scores``); other indices are ignored.
    Circular 01/2018 Art 15.
    """
    return _sum(scores, DOSSIER_INDICES)


def officer_band(total: Decimal) -> OfficerBand:
    """``FULL`` at 5 and above, ``MOST`` from 3.5 to below 5, ``BELOW`` under 3.5 (Circular 01/2018 Art 15)."""
    if total >= 5:
        return OfficerBand.FULL
    if total >= Decimal("3.5"):
        return OfficerBand.MOST
    return OfficerBand.BELOW


def agency_total(scores: Mapping[int, Decimal | None]) -> Decimal:
    """The agency's (unit's) total: the sum of the nine indices that have data (max 18.0).

    Indices 1, 2, 3, 4, 7 over the agency's dossiers, 5, 6, 8, 9 from its self-assessment.
    Circular 01/2018 Art 15.
    """
    return _sum(scores, ALL_INDICES)


def agency_class(total: Decimal) -> AgencyClass:
    """Xuất sắc ≥ 15, Tốt 12–<15, Khá 9–<12, Trung bình 6–<9, Yếu < 6 (Circular 01/2018 Art 15)."""
    for threshold, klass in (
        (15, AgencyClass.EXCELLENT),
        (12, AgencyClass.GOOD),
        (9, AgencyClass.FAIR),
        (6, AgencyClass.AVERAGE),
    ):
        if total >= threshold:
            return klass
    return AgencyClass.POOR


def competition_ranks(totals: list[Decimal]) -> list[int]:
    """Ranks of ``totals`` (any order) by descending total, ties sharing a rank: 1, 2, 2, 4."""
    ordered = sorted(totals, reverse=True)
    first = {}
    for position, total in enumerate(ordered, start=1):
        first.setdefault(total, position)
    return [first[total] for total in totals]


# -- Decision 766/QĐ-TTg -------------------------------------------------------------------


@dataclass(frozen=True)
class GroupScore:
    """One group of the Decision 766/QĐ-TTg 100-point index (Bộ chỉ số phục vụ người dân, doanh nghiệp).

    ``points`` is ``None`` when the portal holds no data for the group (``computed`` False);
    otherwise it is an **estimate**: the group's maximum times the share below, rounded half
    up to one decimal. The decision's own sub-criteria are finer; these figures are labelled
    "ước tính từ dữ liệu của hệ thống" wherever they are shown.
    """

    key: str
    max_points: int
    points: Decimal | None
    basis: str

    @property
    def computed(self) -> bool:
        return self.points is not None

    @property
    def label(self) -> str:
        return str(DECISION_766_GROUPS[self.key][1])


#: Groups of Decision 766/QĐ-TTg, in order: key -> (max points, name). 12/10 split of online
#: service and online payment inferred (DOMAIN.md §5).
DECISION_766_GROUPS = {
    "publicity": (18, _("Công khai, minh bạch")),
    "progress": (20, _("Tiến độ giải quyết")),
    "online_service": (12, _("Dịch vụ công trực tuyến")),
    "online_payment": (10, _("Thanh toán trực tuyến")),
    "satisfaction": (18, _("Mức độ hài lòng")),
    "digitisation": (22, _("Số hóa hồ sơ")),
}


def _share_points(maximum: int, part: int, whole: int) -> Decimal | None:
    if whole <= 0:
        return None
    if part < 0 or part > whole:
        raise ValueError(f"share {part}/{whole} out of range")
    # maximum * part / whole, half up to one decimal, in integers.
    tenths = (20 * maximum * part + whole) // (2 * whole)
    return Decimal(tenths) * _TENTH


def decision_766_groups(
    *, processed_in_time: int, processed_dated: int, processed: int, processed_online: int, satisfied: int, rated: int
) -> list[GroupScore]:
    """The Decision 766/QĐ-TTg groups the portal can estimate, and the ones it cannot.

    Arguments (counts of the period's dossiers whose result was ready in the period):
        processed_in_time, processed_dated: finished early or on time / finished with a due date;
        processed, processed_online: finished / of them filed online;
        satisfied, rated: Circular 32/2017 satisfaction answers "Rất hài lòng" or "Hài lòng" /
            all satisfaction answers of those dossiers.

    Estimated (points = maximum x share, one decimal, ``None`` when the share has no
    denominator): processing progress 20 x on-time share; online service 12 x online share
    of the finished dossiers; satisfaction 18 x satisfied share. Not computable from the
    portal's data (``points`` None): publicity (needs the national database's synchronisation
    checks), online payment (the portal records no payments) and digitisation (no record of
    digitised dossiers or results). ``ValueError`` for a part larger than its whole.
    """
    known = {
        "progress": (_share_points(20, processed_in_time, processed_dated), "on_time_share"),
        "online_service": (_share_points(12, processed_online, processed), "online_share"),
        "satisfaction": (_share_points(18, satisfied, rated), "satisfied_share"),
    }
    groups = []
    for key, (maximum, _name) in DECISION_766_GROUPS.items():
        points, basis = known.get(key, (None, "no_data"))
        groups.append(GroupScore(key=key, max_points=maximum, points=points, basis=basis))
    return groups
