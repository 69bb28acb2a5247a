"""Uploaded dossier files: kind checked from the content, size limits as form errors.

Uploads are judged by their magic bytes (``filetype``), never by the extension or the
browser's Content-Type (case C15); a file above its component's limit is a message on that
field, never a 500. The citizen's file name keeps its Vietnamese letters (case C18).
"""

import hashlib
import unicodedata
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from services.text import slugify_vi

#: kind -> (extension, MIME types ``filetype`` reports for it).
KINDS = {
    "pdf": ("pdf", {"application/pdf"}),
    "jpg": ("jpg", {"image/jpeg"}),
    "png": ("png", {"image/png"}),
    "docx": ("docx", {"application/vnd.openxmlformats-officedocument.wordprocessingml.document"}),
    "doc": ("doc", {"application/msword", "application/x-ole-storage"}),
    "xlsx": ("xlsx", {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}),
    "odt": ("odt", {"application/vnd.oasis.opendocument.text"}),
}


@dataclass
class CheckedUpload:
    """An upload whose kind and size were checked: what gets stored as a ``DossierAttachment``."""

    file: UploadedFile
    original_name: str
    kind: str
    content_type: str
    size: int
    sha256: str

    @property
    def storage_name(self) -> str:
        """ASCII name for the file system ("Tờ khai đăng ký.pdf" -> "to-khai-dang-ky.pdf")."""
        stem = slugify_vi(PurePath(self.original_name).stem, 80) or "tep"
        return f"{stem}.{KINDS[self.kind][0]}"


def clean_file_name(name: str) -> str:
    """The citizen's file name, NFC, without any directory part, at most 255 characters."""
    name = unicodedata.normalize("NFC", PurePath(name.replace("\\", "/")).name).strip() or "tep"
    if len(name) > 255:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 254 - len(ext)] + dot + ext) if dot else name[:255]
    return name


def detect_kind(upload: UploadedFile, accepted: list[str]) -> tuple[str, str] | None:
    """``(kind, mime)`` of the upload's content among ``accepted`` kinds, or None."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    guess = filetype.guess(head)
    if (guess is None or guess.mime == "application/zip") and {"docx", "xlsx", "odt"} & set(accepted):
        # Office files are zip containers whose kind may show only beyond the first bytes.
        guess = filetype.guess(upload.read(1024 * 1024)) or guess
        upload.seek(0)
    if guess is None:
        return None
    for kind in accepted:
        if guess.mime in KINDS[kind][1]:
            return kind, guess.mime
    return None


def check_upload(upload: UploadedFile, *, accepted: list[str], max_bytes: int) -> CheckedUpload:
    """Checks one uploaded file against a component's accepted kinds and size limit.

    Args:
        upload: the file Django received.
        accepted: kinds from ``services.blocks.forms.FILE_TYPE_CHOICES`` ("pdf", "jpg" …).
        max_bytes: the component's limit in bytes.

    Raises:
        ValidationError: empty, too large (message gives the limit in MB), or content not of
            an accepted kind (whatever its extension says).
    """
    name = clean_file_name(upload.name or "")
    if upload.size == 0:
        raise ValidationError(_("Tệp “%(name)s” rỗng.") % {"name": name}, code="empty")
    if upload.size > max_bytes:
        raise ValidationError(
            _("Tệp “%(name)s” (%(size)s) vượt dung lượng tối đa %(limit)s.")
            % {"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)},
            code="too_large",
        )
    detected = detect_kind(upload, accepted)
    if detected is None:
        labels = ", ".join(KINDS[kind][0].upper() for kind in accepted)
        raise ValidationError(
            _("Tệp “%(name)s” không phải là %(kinds)s (kiểm tra theo nội dung tệp, không theo đuôi tên).")
            % {"name": name, "kinds": labels},
            code="kind",
        )
    kind, mime = detected
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    # The extension follows the content: "scan.PDF" or "ảnh" uploaded as a JPEG both end ".jpg".
    stem, dot, ext = name.rpartition(".")
    if not dot or ext.lower() not in {KINDS[kind][0], "jpeg" if kind == "jpg" else ""}:
        name = f"{name}.{KINDS[kind][0]}"
    return CheckedUpload(
        file=upload, original_name=name, kind=kind, content_type=mime, size=upload.size, sha256=digest.hexdigest()
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class UploadField(forms.FileField):
    """A form field for one component: one or several files, each checked by ``check_upload``.

    Cleans to a list of ``CheckedUpload`` (empty when nothing was sent and the field is optional).
    """

    def __init__(self, *, accepted: list[str], max_bytes: int, multiple: bool = False, **kwargs):
        self.accepted, self.max_bytes, self.multiple = accepted, max_bytes, multiple
        kwargs.setdefault("widget", MultipleFileInput() if multiple else forms.ClearableFileInput())
        super().__init__(**kwargs)
        extensions = sorted({"." + KINDS[kind][0] for kind in accepted} | ({".jpeg"} if "jpg" in accepted else set()))
        self.widget.attrs["accept"] = ",".join(extensions)
        limit = filesizeformat(max_bytes)
        kinds = ", ".join(KINDS[kind][0].upper() for kind in accepted)
        note = _("Định dạng %(kinds)s, tối đa %(limit)s mỗi tệp.") % {"kinds": kinds, "limit": limit}
        self.help_text = f"{self.help_text} {note}".strip()

    def to_python(self, data):
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        return files

    def clean(self, data, initial=None):
        files = self.to_python(data)
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if not self.multiple and len(files) > 1:
            files = files[:1]
        checked, errors = [], []
        for upload in files:
            try:
                checked.append(check_upload(upload, accepted=self.accepted, max_bytes=self.max_bytes))
            except ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise ValidationError(errors)
        return checked

    def bound_data(self, data, initial):
        return initial
