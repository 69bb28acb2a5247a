"""Source adapters: one raw row of a real catalogue -> a loose native record.

Each adapter returns ``(record, partial_keys)``: ``partial_keys`` is ``None`` for a full
record, or the set of keys the row really carries (a list-only row, a crawl that failed with
"NOINFO"); the importer then updates only those keys and never wipes details a fuller row gave.

Sources (see ../shared/data/README.md):
- ``lamdong``: Lâm Đồng portal detail CSV (``Mã chuẩn``… ``thutuc_*``) and list CSV (``code,name,field,org,level``);
- ``dvcqg``: national portal crawl JSONL (``ma_thu_tuc``…), tables flattened, kept as text;
- ``bqp``: Ministry of Defence JSONL with proper tables;
- ``native``: this project's own export format (``services.catalogue.records``).
"""

import re

from services.catalogue.records import NATIVE_COLUMNS, base_code
from services.text import clean_value, fold, normalize_text

LIST_KEYS = frozenset({"code", "provincial_code", "name", "fields_of_work", "tiers", "online_level", "source"})

#: Lâm Đồng's agency-group labels -> tier codes (pre-July-2025 data still has districts).
AGENCY_GROUP_TIERS = {
    "so, ban nganh": "tinh",
    "cap tinh/ thanh pho": "tinh",
    "cap tinh/thanh pho": "tinh",
    "ubnd tinh/ thanh pho": "tinh",
    "ubnd tinh/thanh pho": "tinh",
    "ubnd huyen/thanh pho": "huyen",
    "ubnd xa/phuong/thi tran": "xa",
}
TIER_LABELS = {"cap bo": "bo", "cap tinh": "tinh", "cap huyen": "huyen", "cap xa": "xa"}
CHANNEL_LABELS = {"truc tiep": "in_person", "truc tuyen": "online", "dich vu buu chinh": "post", "buu chinh": "post"}
UNIT_LABELS = {"ngay lam viec": "working_days", "ngay": "days", "gio": "hours", "thang": "months"}

_STEP = re.compile(r"(?=\bBước\s*\d+\s*[:.])", re.I)
_TIME = re.compile(r"^(\d+(?:[.,]\d+)?)\s*(ngày làm việc|ngày|giờ|tháng)\.?$", re.I)
_FEE = re.compile(r"^(\d{1,3}(?:\.\d{3})+|\d+)\s*(?:đồng|đ|vnđ)\b\s*(.*)$", re.I)
_DOC_NUMBER = re.compile(r"\b(\d+/\d{4}/[A-ZĐa-zđ0-9\-]+)")


def split_outside_parens(text: str, sep: str = ",") -> list[str]:
    """Split on ``sep`` except inside parentheses: "Tổ chức (không bao gồm doanh nghiệp, HTX)" stays whole."""
    parts, depth, current = [], 0, []
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        if char == sep and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def parse_steps(text: str) -> list[str]:
    """Steps split at each "Bước N:"; text without step markers is one step."""
    text = clean_value(text)
    if not text:
        return []
    parts = [p.strip() for p in _STEP.split(text) if p.strip()]
    return parts


def parse_time_limit(text: str) -> dict:
    """``{"time_limit", "time_unit", "time_text"}`` from "06 Ngày làm việc", "30 Ngày" or free text."""
    text = clean_value(text)
    match = _TIME.match(text)
    if match:
        return {
            "time_limit": match.group(1).replace(",", "."),
            "time_unit": UNIT_LABELS[fold(match.group(2))],
            "time_text": "",
        }
    return {"time_limit": None, "time_unit": "other" if text else "", "time_text": text}


def parse_fee(text: str) -> dict | None:
    """``{"amount_vnd", "description"}`` from "8.000 đồng/bản sao", "500000 Đồng ()", or free text."""
    text = clean_value(re.sub(r"^(?:(?:Phí|Lệ phí)\s*:\s*)+", "", normalize_text(text), flags=re.I))
    if not text or re.fullmatch(r"(?:(?:Phí|Lệ phí)\s*:\s*)+", text, re.I):
        return None
    match = _FEE.match(text)
    if match:
        description = re.sub(r"^\(\s*\)$", "", match.group(2).strip()).strip()
        description = re.sub(r"^\((.*)\)$", r"\1", description).strip()
        return {"amount_vnd": int(match.group(1).replace(".", "")), "description": description}
    return {"amount_vnd": None, "description": text}


def _per_channel_lines(text: str) -> dict[str, list[str]]:
    """Lines "Trực tiếp: …" grouped by channel code, first block only (Lâm Đồng repeats it)."""
    out: dict[str, list[str]] = {}
    for line in normalize_text(text).split("\n"):
        label, sep, rest = line.partition(":")
        channel = CHANNEL_LABELS.get(fold(label))
        if sep and channel:
            values = out.setdefault(channel, [])
            if rest.strip() not in values:
                values.append(rest.strip())
    return out


def _channel_names(text: str) -> list[str]:
    names = []
    for part in re.split(r"[,\n]", normalize_text(text)):
        channel = CHANNEL_LABELS.get(fold(part))
        if channel and channel not in names:
            names.append(channel)
    return names


def _components_from_text(text: str) -> list[dict]:
    text = clean_value(text)
    if not text:
        return []
    items = [re.sub(r"^[-+•*]\s*", "", line).strip() for line in text.split("\n")]
    return [{"name": item} for item in items if item]


def _legal_bases_from_text(text: str) -> list[dict]:
    bases = []
    for line in re.split(r"\n\s*-\s*|\n", clean_value(text)):
        line = line.strip(" -")
        if not line:
            continue
        match = _DOC_NUMBER.search(line)
        entry = {"number": match.group(1) if match else "", "title": line}
        if entry not in bases:
            bases.append(entry)
    return bases


def _tiers_from_group(text: str) -> list[str]:
    tiers = []
    for part in normalize_text(text).split(";"):
        tier = AGENCY_GROUP_TIERS.get(re.sub(r"\s+", " ", fold(part)).strip())
        if tier and tier not in tiers:
            tiers.append(tier)
    return tiers


#: Longest text that can be an agency's name; crawled cells sometimes hold a whole note instead.
AGENCY_NAME_MAX = 300


def agencies_by_role(values: list[tuple[str, str]]) -> tuple[list[dict], str]:
    """``([{"name", "role"}], leftover)`` from (text, role) pairs split at ";".

    A piece longer than :data:`AGENCY_NAME_MAX` is not a name (crawl debris, a dossier note):
    it is returned as ``leftover`` text for the record's description, so nothing is lost and
    the row still imports.
    """
    agencies, leftover = [], []
    for text, role in values:
        for name in split_outside_parens(clean_value(text), ";"):
            if len(name) > AGENCY_NAME_MAX:
                leftover.append(name)
            else:
                agencies.append({"name": name, "role": role})
    return agencies, ("Cơ quan (nguyên văn nguồn): " + "\n".join(leftover)) if leftover else ""


def _lamdong_agencies(text: str) -> tuple[list[dict], str]:
    """Agencies named "Sở Y tế - Tỉnh Lâm Đồng UBND cấp xã - Tỉnh Lâm Đồng", split at the province."""
    names = [n.strip() for n in re.split(r"\s*-\s*Tỉnh Lâm Đồng\s*", clean_value(text)) if n.strip()]
    return agencies_by_role([(name, "implementing") for name in names])


def from_lamdong(row: dict):
    """A Lâm Đồng detail row (``Mã chuẩn``…) or list row (``code,name,field,org,level``)."""
    code_raw = row.get("Mã chuẩn") or row.get("code") or ""
    record = {
        "code": base_code(code_raw),
        "provincial_code": normalize_text(code_raw),
        "name": row.get("Tên thủ tục") or row.get("name"),
        "fields_of_work": [row.get("Lĩnh vực") or row.get("field") or ""],
        "tiers": _tiers_from_group(row.get("Cơ quan thực hiện") or row.get("org") or ""),
        "online_level": row.get("Mức độ") or row.get("level"),
        "source": "lamdong",
    }
    steps_text = row.get("thutuc_Trình tự thực hiện") or row.get("Trình tự thực hiện")
    if not clean_value(steps_text):
        return record, set(LIST_KEYS)
    g = lambda key: row.get(f"thutuc_{key}", row.get(key, ""))  # noqa: E731
    times = _per_channel_lines(g("Thời gian giải quyết"))
    fees = _per_channel_lines(g("Phí, lệ phí"))
    channel_names = _channel_names(g("Cách thức thực hiện")) or list(times)
    for name in times:
        if name not in channel_names:
            channel_names.append(name)
    channels = []
    for name in channel_names:
        time_values = times.get(name) or [""]
        channel = {"channel": name, **parse_time_limit(time_values[0])}
        if len(time_values) > 1:
            channel["time_text"] = "; ".join(v for v in time_values if v)
        channel["fees"] = [f for f in (parse_fee(v) for v in fees.get(name, [])) if f]
        channels.append(channel)
    components = _components_from_text(g("Thành phần hồ sơ"))
    forms = [f for f in (clean_value(x) for x in normalize_text(g("Tên mẫu đơn, tờ khai")).split("\n")) if f]
    description = ""
    unmatched = []
    for form in forms:
        match = next((c for c in components if fold(form) in fold(c["name"])), None)
        if match:
            match["form_name"] = form
        else:
            unmatched.append(form)
    if unmatched:
        description = "Mẫu đơn, tờ khai: " + "; ".join(unmatched)
    agencies, agency_note = _lamdong_agencies(g("Cơ quan thực hiện") if "thutuc_Cơ quan thực hiện" in row else "")
    description = "\n".join(x for x in (description, agency_note) if x)
    record.update(
        {
            "subjects": split_outside_parens(clean_value(g("Đối tượng thực hiện"))),
            "agencies": agencies,
            "cases": [{"title": "", "steps": parse_steps(steps_text), "channels": channels, "components": components}],
            "results": g("Kết quả"),
            "conditions": g("Yêu cầu, điều kiện"),
            "legal_bases": _legal_bases_from_text(g("Căn cứ pháp lý")),
            "description": description,
            "source_url": g("Link") or row.get("link", ""),
        }
    )
    return record, None


def from_dvcqg(row: dict):
    """A national-portal crawl object (``ma_thu_tuc``…); flattened tables are kept as text.

    A national list export row (``ma_so, ten, co_quan_thuc_hien, linh_vuc`` or the XLSX's
    "Mã số, Tên…") carries only code, name, field and agencies, and is partial.
    """
    if "trinh_tu_thuc_hien" not in row:
        code = row.get("ma_thu_tuc") or row.get("ma_so") or row.get("Mã số") or ""
        field = row.get("linh_vuc") or row.get("Lĩnh vực") or ""
        agencies = normalize_text(row.get("co_quan_thuc_hien") or row.get("Cơ quan thực hiện") or "")
        record = {
            "code": code,
            "name": row.get("ten_thu_tuc") or row.get("ten") or row.get("Tên"),
            "fields_of_work": [field] if clean_value(field) else [],
            "agencies": [{"name": a, "role": "implementing"} for a in agencies.split("\n") if clean_value(a)],
            "source": "dvcqg",
        }
        return record, {"code", "name", "fields_of_work", "agencies", "source"}
    tiers = [
        TIER_LABELS[t]
        for t in (fold(x) for x in normalize_text(row.get("cap_thuc_hien")).split(","))
        if t in TIER_LABELS
    ]
    agencies, agency_note = agencies_by_role(
        [
            (row.get("co_quan_thuc_hien"), "implementing"),
            (row.get("co_quan_co_tham_quyen"), "competent"),
            (row.get("co_quan_duoc_uy_quyen"), "authorised"),
            (row.get("co_quan_phoi_hop"), "coordinating"),
        ]
    )
    decision = clean_value(row.get("so_quyet_dinh"))
    channels_text = clean_value(row.get("cach_thuc_thuc_hien"))
    channels = [{"channel": c, "time_text": channels_text} for c in _channel_names_in_flat(channels_text)]
    if channels_text and not channels:
        channels = [{"channel": "other", "time_text": channels_text}]
    components_text = clean_value(row.get("thanh_phan_ho_so"))
    record = {
        "code": row.get("ma_thu_tuc"),
        "name": row.get("ten_thu_tuc"),
        "procedure_type": row.get("loai_thu_tuc"),
        "tiers": tiers,
        "fields_of_work": split_outside_parens(clean_value(row.get("linh_vuc")), ";"),
        "subjects": split_outside_parens(clean_value(row.get("doi_tuong_thuc_hien"))),
        "agencies": agencies,
        "decisions": [{"number": decision}] if decision else [],
        "cases": [
            {
                "steps": parse_steps(row.get("trinh_tu_thuc_hien")),
                "channels": channels,
                "components": [{"name": components_text}] if components_text else [],
            }
        ],
        "submission_address": row.get("dia_chi_tiep_nhan"),
        "results": _strip_dvcqg_tail(row.get("ket_qua_xu_ly")),
        "legal_bases": [{"title": clean_value(row.get("can_cu_phap_ly"))}]
        if clean_value(row.get("can_cu_phap_ly"))
        else [],
        "conditions": row.get("yeu_cau_dieu_kien"),
        "related_codes": re.findall(r"\d\.\d{6}", normalize_text(row.get("thu_tuc_lien_quan"))),
        "description": agency_note,
        "source": "dvcqg",
        "source_url": row.get("detail_url"),
    }
    return record, None


def _channel_names_in_flat(text: str) -> list[str]:
    found = []
    folded = fold(text)
    for label, code in (("truc tiep", "in_person"), ("truc tuyen", "online"), ("dich vu buu chinh", "post")):
        if label in folded and code not in found:
            found.append(code)
    return found


def _strip_dvcqg_tail(text) -> str:
    """The crawl appended page chrome ("Mã: KQ…Từ khóa…Nộp hồ sơ") to the result text."""
    text = clean_value(text)
    return re.split(r"Mã: KQ|Từ khóa", text, maxsplit=1)[0].strip()


def _counts(note: str) -> tuple:
    originals = re.search(r"Bản chính\s*:\s*(\d+)", note or "")
    copies = re.search(r"Bản sao\s*:\s*(\d+)", note or "")
    return (int(originals.group(1)) if originals else None, int(copies.group(1)) if copies else None)


def from_bqp(row: dict):
    """A Ministry of Defence record (``metadata``, ``content``, ``tables``); keys carry diacritics."""
    meta = {normalize_text(k): v for k, v in (row.get("metadata") or {}).items()}
    content = {normalize_text(k): v for k, v in (row.get("content") or {}).items()}
    tables = row.get("tables") or {}
    channels = []
    for item in tables.get("hinh_thuc_nop") or []:
        channel = CHANNEL_LABELS.get(fold(item.get("hinh_thuc")), "other")
        fee = parse_fee(item.get("phi_le_phi") or "")
        channels.append(
            {
                "channel": channel,
                **parse_time_limit(item.get("thoi_han_giai_quyet")),
                "fees": [fee] if fee else [],
                "note": item.get("mo_ta"),
            }
        )
    components = []
    for item in tables.get("thanh_phan_ho_so") or []:
        originals, copies = _counts(normalize_text(item.get("ghi_chu")))
        # The crawl's "so_luong" column actually holds the form template's file name.
        components.append(
            {
                "name": item.get("ten_giay_to"),
                "form_name": item.get("so_luong"),
                "originals": originals,
                "copies": copies,
            }
        )
    legal = [
        {
            "number": b.get("so_ky_hieu"),
            "title": b.get("trich_yeu"),
            "date_issued": b.get("ngay_ban_hanh"),
            "issuer": b.get("co_quan_ban_hanh"),
        }
        for b in tables.get("can_cu_phap_ly") or []
    ]
    agencies, agency_note = agencies_by_role(
        [
            (content.get("cơ_quan_thực_hiện"), "implementing"),
            (content.get("cơ_quan_có_thẩm_quyền"), "competent"),
            (content.get("cơ_quan_được_ủy_quyền"), "authorised"),
            (content.get("cơ_quan_phối_hợp"), "coordinating"),
        ]
    )
    decision = re.sub(r"^Quyết định số\s*", "", clean_value(meta.get("số_quyết_định")), flags=re.I)
    tiers = [
        TIER_LABELS[t]
        for t in (fold(x) for x in normalize_text(meta.get("cấp_thực_hiện")).split(","))
        if t in TIER_LABELS
    ]
    record = {
        "code": meta.get("mã_thủ_tục") or row.get("thu_tuc_id"),
        "name": meta.get("tên_thủ_tục"),
        "procedure_type": meta.get("loại_thủ_tục"),
        "tiers": tiers,
        "fields_of_work": split_outside_parens(clean_value(meta.get("lĩnh_vực")), ";"),
        "decisions": [{"number": decision}] if decision else [],
        "subjects": split_outside_parens(clean_value(content.get("đối_tượng_thực_hiện"))),
        "agencies": agencies,
        "cases": [
            {"steps": parse_steps(content.get("trình_tự_thực_hiện")), "channels": channels, "components": components}
        ],
        "submission_address": content.get("địa_chỉ_tiếp_nhận_hs"),
        "results": content.get("kết_quả_thực_hiện"),
        "legal_bases": legal,
        "conditions": content.get("yêu_cầu_điều_kiện_thực_hiện"),
        "keywords": content.get("từ_khóa"),
        "description": "\n".join(x for x in (clean_value(content.get("mô_tả")), agency_note) if x),
        "source": "bqp",
    }
    return record, None


def from_native(row: dict):
    """A row of this project's own format; a row carrying only some columns updates only those."""
    present = {key for key in NATIVE_COLUMNS if key in row}
    record = {key: row.get(key) for key in NATIVE_COLUMNS}
    return record, (None if present >= set(NATIVE_COLUMNS) - {"source_url"} else present | {"code"})


ADAPTERS = {"lamdong": from_lamdong, "dvcqg": from_dvcqg, "bqp": from_bqp, "native": from_native}

#: Header names that identify a source when ``--source`` is not given.
SIGNATURES = [
    ("lamdong", {"Mã chuẩn", "Tên thủ tục"}),
    ("lamdong", {"code", "name", "field", "org", "level"}),
    ("dvcqg", {"ma_thu_tuc", "ten_thu_tuc"}),
    ("dvcqg", {"ma_so", "ten"}),
    ("dvcqg", {"Mã số", "Tên"}),
    ("bqp", {"metadata", "tables"}),
    ("native", {"code", "name"}),
]


def detect_source(keys) -> str | None:
    keys = set(keys)
    for source, required in SIGNATURES:
        if required <= keys:
            return source
    return None
