"""StreamField blocks of a procedure page: cases, channels, fees, dossier components, legal bases.

Each block's ``value`` shape is the same dict the native catalogue format uses (see
``services.catalogue.records``), so import, export and editing share one structure.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock

CHANNEL_CHOICES = [
    ("in_person", _("Trực tiếp")),
    ("online", _("Trực tuyến")),
    ("post", _("Dịch vụ bưu chính")),
    ("other", _("Khác")),
]

TIME_UNIT_CHOICES = [
    ("working_days", _("Ngày làm việc")),
    ("days", _("Ngày")),
    ("hours", _("Giờ")),
    ("months", _("Tháng")),
    ("other", _("Khác")),
]


class FeeBlock(blocks.StructBlock):
    amount_vnd = blocks.IntegerBlock(required=False, min_value=0, label=_("Số tiền (đồng)"))
    description = blocks.TextBlock(required=False, label=_("Mô tả"))

    class Meta:
        icon = "tag"
        label = _("Phí, lệ phí")
        help_text = _("Số tiền bằng đồng Việt Nam; để trống nếu chỉ có mô tả.")


class ChannelBlock(blocks.StructBlock):
    """One submission channel (cách thức thực hiện) with its own time limit and fees."""

    channel = blocks.ChoiceBlock(choices=CHANNEL_CHOICES, label=_("Hình thức nộp"))
    time_limit = blocks.DecimalBlock(required=False, min_value=0, decimal_places=1, label=_("Thời hạn"))
    time_unit = blocks.ChoiceBlock(choices=TIME_UNIT_CHOICES, required=False, default="working_days", label=_("Đơn vị"))
    time_text = blocks.TextBlock(
        required=False, label=_("Thời hạn (nguyên văn)"), help_text=_("Khi thời hạn không quy về một con số.")
    )
    fees = blocks.ListBlock(FeeBlock(), label=_("Phí, lệ phí"))
    note = blocks.TextBlock(required=False, label=_("Mô tả"))

    class Meta:
        icon = "time"
        label = _("Cách thức thực hiện")
        template = "services/blocks/channel.html"


class ComponentBlock(blocks.StructBlock):
    """One dossier component (thành phần hồ sơ): document name, form template, counts."""

    name = blocks.TextBlock(label=_("Tên giấy tờ"))
    form_name = blocks.CharBlock(required=False, max_length=500, label=_("Mẫu đơn, tờ khai"))
    form_document = DocumentChooserBlock(required=False, label=_("Tệp mẫu đơn"))
    originals = blocks.IntegerBlock(required=False, min_value=0, label=_("Bản chính"))
    copies = blocks.IntegerBlock(required=False, min_value=0, label=_("Bản sao"))
    note = blocks.TextBlock(required=False, label=_("Ghi chú"))

    class Meta:
        icon = "doc-full"
        label = _("Thành phần hồ sơ")


class CaseBlock(blocks.StructBlock):
    """A case (trường hợp) with its own steps, channels and dossier components (DOMAIN §2)."""

    title = blocks.CharBlock(required=False, max_length=1000, label=_("Trường hợp"))
    steps = blocks.ListBlock(blocks.TextBlock(label=_("Bước")), label=_("Trình tự thực hiện"))
    channels = blocks.ListBlock(ChannelBlock(), label=_("Cách thức thực hiện"))
    components = blocks.ListBlock(ComponentBlock(), label=_("Thành phần hồ sơ"))

    class Meta:
        icon = "list-ul"
        label = _("Trường hợp")
        help_text = _("Thủ tục chỉ có một trường hợp thì để trống tên trường hợp.")


class LegalBasisBlock(blocks.StructBlock):
    number = blocks.CharBlock(required=False, max_length=200, label=_("Số ký hiệu"))
    title = blocks.TextBlock(required=False, label=_("Trích yếu"))
    date_issued = blocks.DateBlock(required=False, label=_("Ngày ban hành"))
    issuer = blocks.CharBlock(required=False, max_length=300, label=_("Cơ quan ban hành"))

    class Meta:
        icon = "doc-full-inverse"
        label = _("Căn cứ pháp lý")


class DecisionBlock(blocks.StructBlock):
    number = blocks.CharBlock(max_length=200, label=_("Số quyết định"))
    date_issued = blocks.DateBlock(required=False, label=_("Ngày ban hành"))

    class Meta:
        icon = "doc-empty"
        label = _("Quyết định công bố")
