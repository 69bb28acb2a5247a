"""Admin forms of the catalogue import and export."""

import re
import tempfile
import uuid
from pathlib import Path

from django import forms
from django.utils.translation import gettext_lazy as _

from services.catalogue.readers import ReaderError, detect_format
from services.models import ProcedureIndexPage

SOURCE_CHOICES = [
    ("", _("Tự nhận từ dòng tiêu đề")),
    ("native", _("Định dạng của cổng (xuất từ hệ thống này)")),
    ("lamdong", _("Cổng DVC tỉnh Lâm Đồng (CSV chi tiết hoặc danh sách)")),
    ("dvcqg", _("Cổng DVC quốc gia (JSONL hoặc danh sách xuất Excel)")),
    ("bqp", _("Bộ Quốc phòng (JSONL có bảng)")),
]
MAX_UPLOAD_BYTES = 100 * 1024 * 1024
_STAGED = re.compile(r"^portal-import-[0-9a-f]{32}\.(csv|xlsx|json|jsonl)(\.gz)?$")


class CatalogueChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title} ({obj.url_path})"


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp danh mục"), help_text=_("CSV (UTF-8), XLSX, JSON hoặc JSONL; có thể nén .gz."))
    source = forms.ChoiceField(label=_("Nguồn dữ liệu"), choices=SOURCE_CHOICES, required=False)
    catalogue = CatalogueChoiceField(
        label=_("Nhập vào danh mục"), queryset=ProcedureIndexPage.objects.all(), empty_label=None
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Tệp lớn hơn 100 MB."))
        try:
            detect_format(upload.name)
        except ReaderError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return upload


class ConfirmImportForm(forms.Form):
    staged = forms.CharField(widget=forms.HiddenInput)
    original_name = forms.CharField(widget=forms.HiddenInput)
    source = forms.CharField(widget=forms.HiddenInput)
    catalogue = forms.ModelChoiceField(queryset=ProcedureIndexPage.objects.all(), widget=forms.HiddenInput)
    accept_valid_rows = forms.BooleanField(label=_("Bỏ qua các dòng lỗi và chỉ nhập các dòng hợp lệ"), required=False)

    def clean_staged(self):
        name = self.cleaned_data["staged"]
        if not _STAGED.match(name) or not staged_path(name).exists():
            raise forms.ValidationError(_("Tệp tạm đã hết hạn; hãy tải tệp lên lại."))
        return name


class ExportForm(forms.Form):
    catalogue = CatalogueChoiceField(label=_("Danh mục"), queryset=ProcedureIndexPage.objects.all(), empty_label=None)
    format = forms.ChoiceField(label=_("Định dạng"), choices=[(f, f.upper()) for f in ("csv", "xlsx", "json", "jsonl")])


def stage_upload(upload) -> str:
    """Copy an uploaded file to a private temporary file; return its opaque name."""
    lower = upload.name.lower()
    fmt = detect_format(lower)
    suffix = f".{fmt}" + (".gz" if lower.endswith(".gz") else "")
    name = f"portal-import-{uuid.uuid4().hex}{suffix}"
    with open(staged_path(name), "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return name


def staged_path(name: str) -> Path:
    assert _STAGED.match(name), name
    return Path(tempfile.gettempdir()) / name
