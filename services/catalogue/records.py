"""The native procedure record: one dict per procedure, the shape of import, export and hashing.

Shape (all strings NFC, placeholders removed, lists possibly empty)::

    {"code": "1.001193", "provincial_code": "1.001193.000.00.00.H36", "name": str,
     "procedure_type": str, "online_level": "Một phần", "tiers": ["xa"],
     "fields_of_work": [{"code": "", "name": "Hộ tịch"}],
     "agencies": [{"name": str, "identifier": str, "role": "implementing"}],
     "subjects": [str], "decisions": [{"number": str, "date_issued": "2024-05-31"}],
     "cases": [{"title": str, "steps": [str],
                "channels": [{"channel": "online", "time_limit": 5, "time_unit": "working_days",
                              "time_text": str, "fees": [{"amount_vnd": 8000, "description": str}],
                              "note": str}],
                "components": [{"name": str, "form_name": str, "form_file": "<document title>",
                                "originals": 1, "copies": 0, "note": str}]}],
     "submission_address": str, "results": str,
     "legal_bases": [{"number": str, "title": str, "date_issued": "2021-03-24", "issuer": str}],
     "conditions": str, "keywords": str, "description": str, "related_codes": [str],
     "source": str, "source_url": str}

``time_limit`` is a number in ``time_unit`` (working days are not calendar days); fee amounts
are whole VND. In CSV/XLSX the list columns hold JSON text.
"""

import datetime as dt
import hashlib
import json
import re
from decimal import Decimal, InvalidOperation

from services.text import clean_value, normalize_text

SCALAR_FIELDS = [
    "code",
    "provincial_code",
    "name",
    "procedure_type",
    "online_level",
    "submission_address",
    "results",
    "conditions",
    "keywords",
    "description",
    "source",
    "source_url",
]
LIST_FIELDS = [
    "tiers",
    "fields_of_work",
    "agencies",
    "subjects",
    "decisions",
    "cases",
    "legal_bases",
    "related_codes",
]
#: Column order of the native format (CSV/XLSX header, JSON keys).
NATIVE_COLUMNS = [
    "code",
    "provincial_code",
    "name",
    "procedure_type",
    "online_level",
    "tiers",
    "fields_of_work",
    "agencies",
    "subjects",
    "decisions",
    "cases",
    "submission_address",
    "results",
    "legal_bases",
    "conditions",
    "keywords",
    "description",
    "related_codes",
    "source",
    "source_url",
]
AGENCY_ROLES = {"implementing", "competent", "authorised", "coordinating"}
CHANNELS = {"in_person", "online", "post", "other"}
TIME_UNITS = {"working_days", "days", "hours", "months", "other"}

NATIONAL_CODE = re.compile(r"^\d\.\d{6}$")
# The national part ends at a dot or at the end: "1.0012300" is not "1.001230" (case C11).
_CODE_IN_TEXT = re.compile(r"(\d\.\d{6})(?=\.|$)")


class RecordError(ValueError):
    """A record that cannot become a procedure; the message is Vietnamese, for the import report."""


def base_code(value: str) -> str:
    """National base code of a provincial or national code.

    "1.000948.000.00.00.H36" -> "1.000948"; "1.000948.H36" -> "1.000948"; "1.000948" -> itself.
    Raises :class:`RecordError` when no ``d.dddddd`` code is present.
    """
    text = normalize_text(value)
    match = _CODE_IN_TEXT.match(text)
    if not match:
        raise RecordError(f"Mã thủ tục không hợp lệ: {value!r} (cần dạng d.dddddd, ví dụ 1.001193).")
    return match.group(1)


# -- dates -----------------------------------------------------------------------------------

_EXCEL_EPOCH = dt.date(1899, 12, 30)
_DMY = re.compile(r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})")
_WORDS = re.compile(r"ngày\s*(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})", re.I)


def parse_date(value) -> str:
    """ISO date text from a day-first Vietnamese date, an ISO date or an Excel serial number.

    "24/3/2021", "24-03-2021", "ngày 24 tháng 3 năm 2021", "2021-03-24", 44279 and "44279"
    all give "2021-03-24"; empty gives "". Raises :class:`RecordError` on anything else.
    """
    if value in (None, ""):
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_serial(value)
    text = clean_value(value)
    if not text:
        return ""
    if re.fullmatch(r"\d{4,5}(\.0+)?", text):
        return _from_serial(float(text))
    for pattern, order in ((_DMY, "dmy"), (_YMD, "ymd"), (_WORDS, "dmy")):
        match = pattern.search(text)
        if match:
            a, b, c = (int(g) for g in match.groups())
            day, month, year = (a, b, c) if order == "dmy" else (c, b, a)
            try:
                return dt.date(year, month, day).isoformat()
            except ValueError as exc:
                raise RecordError(f"Ngày không hợp lệ: {value!r}.") from exc
    raise RecordError(f"Không đọc được ngày: {value!r} (dùng dạng ngày/tháng/năm).")


def _from_serial(number: float) -> str:
    if not 1 <= number < 2958466:
        raise RecordError(f"Số ngày Excel không hợp lệ: {number!r}.")
    return (_EXCEL_EPOCH + dt.timedelta(days=int(number))).isoformat()


# -- canonical form --------------------------------------------------------------------------


def _as_list(value):
    if value in (None, ""):
        return []
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return []
        if text[0] in "[{":
            try:
                value = json.loads(text)
            except json.JSONDecodeError as exc:
                raise RecordError(f"Cột dạng JSON không đọc được: {exc.msg} (vị trí {exc.pos}).") from exc
        else:
            return [part for part in (p.strip() for p in re.split(r"[;\n]", text)) if part]
    if isinstance(value, dict):
        return [value]
    return list(value)


def _stream_items(value):
    """List items of a ListBlock's raw data, old (plain) or new ({"type": "item", "value"}) form."""
    out = []
    for item in value or []:
        if isinstance(item, dict) and item.get("type") == "item" and "value" in item:
            out.append(item["value"])
        else:
            out.append(item)
    return out


def _number(value):
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).replace(",", "."))
    except InvalidOperation as exc:
        raise RecordError(f"Không phải số: {value!r}.") from exc
    if number < 0:
        raise RecordError(f"Số âm không hợp lệ: {value!r}.")
    return int(number) if number == number.to_integral_value() else float(number)


def _count(value):
    number = _number(value)
    return None if number is None else int(number)


def _text_list(values) -> list[str]:
    seen, out = set(), []
    for value in _as_list(values):
        text = clean_value(value if isinstance(value, str) else value.get("name", ""))
        if text and text not in seen:
            seen.add(text)
            out.append(text)
    return out


#: Longest text each column holds (database column sizes); longer values are row errors.
MAX_LENGTHS = {
    "code": 20,
    "provincial_code": 64,
    "procedure_type": 200,
    "online_level": 100,
    "source": 20,
    "source_url": 500,
    "field": 500,
    "agency": 500,
    "agency_identifier": 40,
    "subject": 500,
}
_LABELS = {
    "provincial_code": "Mã thủ tục của tỉnh",
    "procedure_type": "Loại thủ tục",
    "online_level": "Mức độ",
    "source": "Nguồn",
    "source_url": "Liên kết nguồn",
    "field": "Tên lĩnh vực",
    "agency": "Tên cơ quan",
    "agency_identifier": "Mã định danh cơ quan",
    "subject": "Đối tượng thực hiện",
    "code": "Mã thủ tục",
}


def _check_length(kind: str, value: str) -> None:
    limit = MAX_LENGTHS[kind]
    if len(value) > limit:
        raise RecordError(f"{_LABELS[kind]} dài {len(value)} ký tự, quá giới hạn {limit}: {value[:60]!r}…")


def _check_lengths(record: dict) -> None:
    for key in ("provincial_code", "procedure_type", "online_level", "source", "source_url"):
        _check_length(key, record[key])
    for item in record["fields_of_work"]:
        _check_length("field", item["name"])
    for item in record["agencies"]:
        _check_length("agency", item["name"])
        _check_length("agency_identifier", item["identifier"])
    for name in record["subjects"]:
        _check_length("subject", name)


def canonical_record(data: dict) -> dict:
    """Normalise a loose record into the native shape documented above.

    Raises :class:`RecordError` (Vietnamese message) for a missing name, an invalid code, or
    malformed numbers, dates or JSON.
    """
    record = {key: clean_value(data.get(key)) for key in SCALAR_FIELDS}
    record["code"] = base_code(data.get("code") or "")
    if not record["name"]:
        raise RecordError("Thiếu tên thủ tục.")
    record["tiers"] = sorted({clean_value(t).lower() for t in _as_list(data.get("tiers")) if clean_value(t)})
    fields = []
    for item in _as_list(data.get("fields_of_work")):
        item = {"code": "", "name": item} if isinstance(item, str) else item
        entry = {"code": clean_value(item.get("code")), "name": clean_value(item.get("name"))}
        if entry["name"] and entry not in fields:
            fields.append(entry)
    record["fields_of_work"] = sorted(fields, key=lambda f: (f["name"], f["code"]))
    agencies = []
    for item in _as_list(data.get("agencies")):
        item = {"name": item} if isinstance(item, str) else item
        role = clean_value(item.get("role")) or "implementing"
        if role not in AGENCY_ROLES:
            raise RecordError(f"Vai trò cơ quan không hợp lệ: {role!r}.")
        entry = {"name": clean_value(item.get("name")), "identifier": clean_value(item.get("identifier")), "role": role}
        if entry["name"] and entry not in agencies:
            agencies.append(entry)
    record["agencies"] = agencies
    record["subjects"] = sorted(_text_list(data.get("subjects")))
    record["decisions"] = [
        {"number": clean_value(d.get("number")), "date_issued": parse_date(d.get("date_issued"))}
        for d in _as_list(data.get("decisions"))
        if clean_value(d.get("number"))
    ]
    record["cases"] = [_canonical_case(c) for c in _as_list(data.get("cases"))]
    record["cases"] = [c for c in record["cases"] if any(c.values())]
    record["legal_bases"] = [
        {
            "number": clean_value(b.get("number")),
            "title": clean_value(b.get("title")),
            "date_issued": parse_date(b.get("date_issued")),
            "issuer": clean_value(b.get("issuer")),
        }
        for b in _as_list(data.get("legal_bases"))
        if clean_value(b.get("number")) or clean_value(b.get("title"))
    ]
    record["related_codes"] = sorted({base_code(c) for c in _as_list(data.get("related_codes")) if clean_value(c)})
    _check_lengths(record)
    return record


def _canonical_case(case: dict) -> dict:
    channels = []
    for ch in _stream_items(_as_list(case.get("channels"))):
        channel = clean_value(ch.get("channel")) or "other"
        if channel not in CHANNELS:
            raise RecordError(f"Hình thức nộp không hợp lệ: {channel!r}.")
        unit = clean_value(ch.get("time_unit"))
        if unit and unit not in TIME_UNITS:
            raise RecordError(f"Đơn vị thời hạn không hợp lệ: {unit!r}.")
        limit = _number(ch.get("time_limit"))
        channels.append(
            {
                "channel": channel,
                "time_limit": limit,
                "time_unit": unit or ("working_days" if limit is not None else ""),
                "time_text": clean_value(ch.get("time_text")),
                "fees": [
                    {"amount_vnd": _count(f.get("amount_vnd")), "description": clean_value(f.get("description"))}
                    for f in _stream_items(_as_list(ch.get("fees")))
                    if f.get("amount_vnd") not in (None, "") or clean_value(f.get("description"))
                ],
                "note": clean_value(ch.get("note")),
            }
        )
    components = []
    for comp in _stream_items(_as_list(case.get("components"))):
        entry = {
            "name": clean_value(comp.get("name")),
            "form_name": clean_value(comp.get("form_name")),
            "form_file": clean_value(comp.get("form_file")),
            "originals": _count(comp.get("originals")),
            "copies": _count(comp.get("copies")),
            "note": clean_value(comp.get("note")),
        }
        if entry["name"]:
            components.append(entry)
    return {
        "title": clean_value(case.get("title")),
        "steps": [s for s in (clean_value(x) for x in _stream_items(_as_list_lines(case.get("steps")))) if s],
        "channels": channels,
        "components": components,
    }


def _as_list_lines(value):
    if isinstance(value, str) and value.strip() and value.strip()[0] != "[":
        return [value]
    return _as_list(value)


def record_hash(record: dict) -> str:
    """SHA-256 of the record's canonical JSON: equal hashes mean nothing to write."""
    payload = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


# -- completeness ----------------------------------------------------------------------------

REQUIRED_ELEMENTS = [
    ("name", "Tên thủ tục"),
    ("steps", "Trình tự thực hiện"),
    ("channels", "Cách thức thực hiện"),
    ("components", "Thành phần hồ sơ"),
    ("time_limit", "Thời hạn giải quyết"),
    ("subjects", "Đối tượng thực hiện"),
    ("agencies", "Cơ quan thực hiện"),
]


def missing_elements(record: dict) -> list[str]:
    """Labels of the elements Decree 63/2010 Art 8 requires that the record lacks.

    A procedure is complete only with name, steps, channels, dossier components, a time limit,
    subjects and an implementing agency (DOMAIN.md §2).
    """
    cases = record.get("cases") or []
    channels = [ch for c in cases for ch in c.get("channels", [])]
    present = {
        "name": bool(record.get("name")),
        "steps": any(c.get("steps") for c in cases),
        "channels": bool(channels),
        "components": any(c.get("components") for c in cases),
        "time_limit": any(ch.get("time_limit") is not None or ch.get("time_text") for ch in channels),
        "subjects": bool(record.get("subjects")),
        "agencies": bool(record.get("agencies")),
    }
    return [label for key, label in REQUIRED_ELEMENTS if not present[key]]


# -- page <-> record ---------------------------------------------------------------------------


def record_from_page(page) -> dict:
    """The canonical native record of ``page`` (a ``ProcedurePage``, saved or not)."""
    from wagtail.documents import get_document_model

    cases = []
    doc_ids = set()
    for block in page.cases.raw_data if page.cases else []:
        value = block.get("value", {})
        for comp in _stream_items(value.get("components")):
            if comp.get("form_document"):
                doc_ids.add(comp["form_document"])
        cases.append(value)
    files = {}
    if doc_ids:
        files = {d.pk: d.title for d in get_document_model().objects.filter(pk__in=doc_ids)}
    for case in cases:
        case["components"] = [
            {**comp, "form_file": files.get(comp.get("form_document"), "")}
            for comp in _stream_items(case.get("components"))
        ]
    data = {
        "code": page.code,
        "provincial_code": page.provincial_code,
        "name": page.full_name or page.title,
        "procedure_type": page.procedure_type,
        "online_level": page.online_level.label if page.online_level_id else "",
        "tiers": [t.code for t in page.tiers.all()],
        "fields_of_work": [{"code": f.code, "name": f.name} for f in page.fields_of_work.all()],
        "agencies": [
            {"name": r.agency.name, "identifier": r.agency.identifier, "role": r.role} for r in page.agency_roles.all()
        ],
        "subjects": [s.name for s in page.subjects.all()],
        "decisions": [b.get("value", {}) for b in (page.decisions.raw_data if page.decisions else [])],
        "cases": cases,
        "submission_address": page.submission_address,
        "results": page.results,
        "legal_bases": [b.get("value", {}) for b in (page.legal_bases.raw_data if page.legal_bases else [])],
        "conditions": page.conditions,
        "keywords": page.keywords,
        "description": page.description,
        "related_codes": page.related_codes or [],
        "source": page.source,
        "source_url": page.source_url,
    }
    return canonical_record(data)
