"""Streaming readers of catalogue files: CSV, XLSX, JSON, JSONL (plain or gzip).

Each yields ``(line, row)`` where ``line`` is what a person sees in a spreadsheet (the header
is line 1) or the line of a JSONL file, and ``row`` is a dict. Rows are produced one at a
time so that memory stays flat on large files.

- CSV is read as UTF-8 with or without a BOM (Excel's "CSV UTF-8", case C10); cells may hold
  newlines.
- XLSX headers may follow a banner row (national list exports); a code column's numeric cells
  are rebuilt from their display format ("0.000000" -> "1.001230", "000000" -> "001234") or
  flagged on their row, never turned into "1.00123" (case C11).
"""

import csv
import gzip
import io
import json
import re
import zlib
from pathlib import Path

from services.text import normalize_text

csv.field_size_limit(2**31 - 1)

CODE_COLUMNS = {"code", "ma_thu_tuc", "mã chuẩn", "ma_so", "mã số", "mã thủ tục", "mã_thủ_tục", "related_codes"}
KNOWN_HEADERS = CODE_COLUMNS | {"name", "tên thủ tục", "ten_thu_tuc", "tên", "ten"}
FORMATS = ("csv", "xlsx", "json", "jsonl")


class ReaderError(ValueError):
    """The file cannot be read at all; the message is Vietnamese."""


def detect_format(name: str) -> str:
    lower = name.lower().removesuffix(".gz")
    for fmt in FORMATS:
        if lower.endswith("." + fmt):
            return fmt
    raise ReaderError(f"Không nhận ra định dạng tệp {name!r}: dùng .csv, .xlsx, .json hoặc .jsonl (có thể nén .gz).")


def _open_binary(source) -> io.BufferedIOBase:
    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.exists():
            raise ReaderError(f"Không tìm thấy tệp {path}.")
        return gzip.open(path, "rb") if path.name.endswith(".gz") else open(path, "rb")
    source.seek(0)
    head = source.read(2)
    source.seek(0)
    return gzip.GzipFile(fileobj=source) if head == b"\x1f\x8b" else source


def read_rows(source, fmt: str | None = None):
    """Yield ``(line, row_dict)`` from ``source`` (a path, or a binary file object with ``name``).

    Raises :class:`ReaderError` for an unknown format, an unreadable file or bad JSON.
    """
    name = str(source) if isinstance(source, (str, Path)) else getattr(source, "name", "")
    fmt = fmt or detect_format(name)
    readers = {"csv": _read_csv, "xlsx": _read_xlsx, "json": _read_json, "jsonl": _read_jsonl}
    if fmt not in readers:
        raise ReaderError(f"Định dạng không hỗ trợ: {fmt!r}.")
    rows = 0
    try:
        for item in readers[fmt](_open_binary(source)):
            rows += 1
            yield item
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        raise ReaderError("Tệp nén .gz bị hỏng hoặc không phải tệp gzip: hãy nén lại hoặc tải tệp chưa nén.") from exc
    if rows == 0:
        raise ReaderError("Tệp không có dòng dữ liệu nào (chỉ có dòng tiêu đề hoặc trống).")


def _read_csv(binary):
    text = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")
    try:
        reader = csv.DictReader(text)
        header = [normalize_text(h) for h in (reader.fieldnames or [])]
        if not header:
            raise ReaderError("Tệp CSV trống hoặc không có dòng tiêu đề.")
        reader.fieldnames = header
        for index, row in enumerate(reader, start=2):
            row.pop(None, None)
            yield index, row
    except UnicodeDecodeError as exc:
        raise ReaderError("Tệp CSV không ở mã UTF-8: hãy lưu lại bằng 'CSV UTF-8'.") from exc


def _cell_code(cell) -> tuple[str, str | None]:
    """Text of a code cell and an issue when a numeric cell cannot be rebuilt exactly."""
    value = cell.value
    if value is None:
        return "", None
    if isinstance(value, str):
        return value, None
    if isinstance(value, (int, float)):
        fmt = getattr(cell, "number_format", "General") or "General"
        if re.fullmatch(r"0+(\.0+)?", fmt):
            decimals = len(fmt.split(".")[1]) if "." in fmt else 0
            width = len(fmt)
            return f"{value:0{width}.{decimals}f}", None
        return str(value), (
            f"Ô mã thủ tục là số ({value!r}) nên Excel có thể đã bỏ số 0 hoặc dấu chấm; "
            "định dạng cột mã là Văn bản (Text) rồi nhập lại mã."
        )
    return str(value), None


def _read_xlsx(binary):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(binary, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for a non-XLSX file
        raise ReaderError(f"Không mở được tệp XLSX: {exc}") from exc
    sheet = workbook.worksheets[0]
    header = None
    code_columns: set[int] = set()
    for index, cells in enumerate(sheet.iter_rows(), start=1):
        if header is None:
            labels = [normalize_text(c.value) if isinstance(c.value, str) else "" for c in cells]
            if sum(1 for x in labels if x) >= 2 and {x.lower() for x in labels} & KNOWN_HEADERS:
                header = labels
                code_columns = {i for i, x in enumerate(labels) if x.lower() in CODE_COLUMNS}
            continue
        row, issues = {}, []
        for i, cell in enumerate(cells):
            if i >= len(header) or not header[i]:
                continue
            if i in code_columns:
                value, issue = _cell_code(cell)
                if issue:
                    issues.append(issue)
            else:
                value = cell.value
            row[header[i]] = "" if value is None else value
        if not any(v not in ("", None) for v in row.values()):
            continue
        if issues:
            row["_issues"] = issues
        yield index, row
    workbook.close()
    if header is None:
        raise ReaderError("Không tìm thấy dòng tiêu đề trong tệp XLSX (cần cột mã và tên thủ tục).")


def _read_json(binary):
    try:
        data = json.load(io.TextIOWrapper(binary, encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        raise ReaderError(f"Tệp JSON không hợp lệ: {exc.msg} (dòng {exc.lineno}).") from exc
    if isinstance(data, dict):
        data = data.get("procedures", [data])
    if not isinstance(data, list):
        raise ReaderError("Tệp JSON phải là một danh sách thủ tục.")
    for index, row in enumerate(data, start=1):
        if not isinstance(row, dict):
            raise ReaderError(f"Phần tử thứ {index} của tệp JSON không phải một đối tượng.")
        yield index, row


def _read_jsonl(binary):
    text = io.TextIOWrapper(binary, encoding="utf-8-sig")
    for index, line in enumerate(text, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            yield index, {"_issues": [f"Dòng JSON không hợp lệ: {exc.msg}."]}
            continue
        yield index, row if isinstance(row, dict) else {"_issues": ["Dòng JSON không phải một đối tượng."]}
