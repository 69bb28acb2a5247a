"""Small input files and pages for the catalogue tests, written by hand (no real catalogue data).

Native rows follow the documented record shape (services.catalogue.records): scalar columns are
text, list columns hold JSON text in CSV/XLSX and plain lists in JSON/JSONL.
"""

import csv
import json
from pathlib import Path

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
LIST_COLUMNS = {"tiers", "fields_of_work", "agencies", "subjects", "decisions", "cases", "legal_bases", "related_codes"}


def native_record(code: str, name: str, **overrides) -> dict:
    """A complete procedure (every element DOMAIN §2 requires) in the native shape."""
    record = {
        "code": code,
        "provincial_code": f"{code}.000.00.00.H36",
        "name": name,
        "procedure_type": "TTHC được luật giao quy định chi tiết",
        "online_level": "Một phần",
        "tiers": ["tinh"],
        "fields_of_work": [{"code": "G03-XD", "name": "Xây dựng"}],
        "agencies": [{"name": "Sở Xây dựng", "identifier": "000.00.07.H36", "role": "implementing"}],
        "subjects": ["Công dân Việt Nam", "Doanh nghiệp"],
        "decisions": [{"number": "1234/QĐ-UBND", "date_issued": "2024-05-31"}],
        "cases": [
            {
                "title": "",
                "steps": ["Bước 1: Nộp hồ sơ tại Bộ phận một cửa.", "Bước 2: Nhận kết quả."],
                "channels": [
                    {
                        "channel": "in_person",
                        "time_limit": 20,
                        "time_unit": "working_days",
                        "time_text": "",
                        "fees": [{"amount_vnd": 75000, "description": "Lệ phí cấp giấy phép"}],
                        "note": "",
                    },
                    {
                        "channel": "online",
                        "time_limit": 15,
                        "time_unit": "working_days",
                        "time_text": "",
                        "fees": [],
                        "note": "",
                    },
                ],
                "components": [
                    {
                        "name": "Đơn đề nghị cấp giấy phép",
                        "form_name": "Mẫu số 01",
                        "form_file": "",
                        "originals": 1,
                        "copies": 0,
                        "note": "",
                    },
                    {
                        "name": "Bản vẽ thiết kế",
                        "form_name": "",
                        "form_file": "",
                        "originals": 0,
                        "copies": 2,
                        "note": "",
                    },
                ],
            }
        ],
        "submission_address": "Trung tâm Phục vụ hành chính công tỉnh",
        "results": "Giấy phép",
        "legal_bases": [
            {"number": "50/2014/QH13", "title": "Luật Xây dựng", "date_issued": "2014-06-18", "issuer": "Quốc hội"}
        ],
        "conditions": "",
        "keywords": "",
        "description": "",
        "related_codes": [],
        "source": "native",
        "source_url": "",
    }
    record.update(overrides)
    return record


def tabular_row(record: dict) -> dict:
    """``record`` as CSV/XLSX cells: list columns as JSON text (empty list -> empty cell)."""
    row = {}
    for key, value in record.items():
        if key in LIST_COLUMNS:
            row[key] = json.dumps(value, ensure_ascii=False) if value else ""
        else:
            row[key] = "" if value is None else value
    return row


def write_csv(path: Path, rows: list[dict], header: list[str] | None = None, *, bom: bool = True) -> Path:
    """Write ``rows`` as CSV; ``bom`` = Excel's "CSV UTF-8" (starts with EF BB BF, case C10)."""
    header = header or list(rows[0].keys())
    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=header)
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
    return path


def write_native_csv(path: Path, records: list[dict], *, bom: bool = True) -> Path:
    return write_csv(path, [tabular_row(r) for r in records], NATIVE_COLUMNS, bom=bom)


def write_json(path: Path, records: list[dict]) -> Path:
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return path


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def write_xlsx(path: Path, header: list[str], rows: list[list], formats: dict | None = None) -> Path:
    """An XLSX sheet; ``formats`` maps (row index in ``rows``, column index) -> number_format."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for (row_index, col_index), number_format in (formats or {}).items():
        sheet.cell(row=row_index + 2, column=col_index + 1).number_format = number_format
    workbook.save(path)
    return path
