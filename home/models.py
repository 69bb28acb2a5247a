"""Pages of the portal's shell: home page and guidance (hướng dẫn, hỏi đáp)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from home.blocks import GuidanceStreamBlock, PopularProcedureBlock
from services.models.pages import VietnameseSlugMixin


class HomePage(VietnameseSlugMixin, Page):
    """The portal's front page: search box, popular procedures, entry by field of work and agency."""

    intro = models.TextField(_("lời giới thiệu"), blank=True)
    popular_procedures = StreamField(
        [("procedure", PopularProcedureBlock())], blank=True, verbose_name=_("thủ tục được quan tâm")
    )

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["services.ProcedureIndexPage", "home.GuidanceIndexPage"]
    max_count = 1
    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("popular_procedures")]
    api_fields = [APIField("intro")]

    class Meta:
        verbose_name = _("trang chủ")

    def get_context(self, request, *args, **kwargs):
        from services.selectors import home_entry_points

        context = super().get_context(request, *args, **kwargs)
        context.update(home_entry_points(popular=self.popular_procedures))
        return context


class GuidanceIndexPage(VietnameseSlugMixin, Page):
    """A list of guidance pages (hướng dẫn sử dụng, câu hỏi thường gặp)."""

    intro = models.TextField(_("giới thiệu"), blank=True)
    parent_page_types = ["home.HomePage"]
    subpage_types = ["home.GuidancePage"]
    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = _("mục hướng dẫn")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["guides"] = GuidancePage.objects.child_of(self).live().public().order_by("path")
        return context


class GuidancePage(VietnameseSlugMixin, Page):
    """One guidance article: headings, paragraphs and question–answer pairs."""

    summary = models.TextField(_("tóm tắt"), blank=True)
    body = StreamField(GuidanceStreamBlock(), blank=True, verbose_name=_("nội dung"))

    parent_page_types = ["home.GuidanceIndexPage"]
    subpage_types = []
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]
    content_panels = Page.content_panels + [FieldPanel("summary"), FieldPanel("body")]
    api_fields = [APIField("summary"), APIField("body")]

    class Meta:
        verbose_name = _("trang hướng dẫn")
