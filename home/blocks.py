"""Blocks of the home and guidance pages."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class QuestionAnswerBlock(blocks.StructBlock):
    question = blocks.CharBlock(max_length=500, label=_("Câu hỏi"))
    answer = blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul"], label=_("Trả lời"))

    class Meta:
        icon = "help"
        label = _("Hỏi – đáp")
        template = "home/blocks/question_answer.html"
        help_text = _("Một câu hỏi thường gặp và câu trả lời.")


class GuidanceStreamBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        max_length=200,
        icon="title",
        label=_("Tiêu đề mục"),
        template="home/blocks/heading.html",
        help_text=_("Tiêu đề cấp 2 của một mục hướng dẫn."),
    )
    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link", "ol", "ul", "h3"],
        icon="pilcrow",
        label=_("Đoạn văn"),
        help_text=_("Nội dung hướng dẫn."),
    )
    question_answer = QuestionAnswerBlock()


class PopularProcedureBlock(blocks.PageChooserBlock):
    def __init__(self, **kwargs):
        super().__init__(page_type="services.ProcedurePage", **kwargs)

    class Meta:
        icon = "doc-full"
        label = _("Thủ tục")
        help_text = _("Thủ tục hiển thị trong mục 'Thủ tục được quan tâm' của trang chủ.")
