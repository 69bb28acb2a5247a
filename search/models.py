"""Search data kept in the database: editors' synonyms and the fallback search entries."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from services.text import fold, normalize_text


class SearchSynonym(models.Model):
    """An everyday word or abbreviation citizens type, and the official terms it stands for.

    Applied when a query is built (both backends), so an edit takes effect on the next search
    without reindexing. "bằng lái" -> "giấy phép lái xe"; "CCCD" -> "căn cước".
    """

    term = models.CharField(_("từ người dân gõ"), max_length=100, help_text=_("Ví dụ: bằng lái, CCCD, sổ đỏ"))
    term_key = models.CharField(max_length=100, unique=True, editable=False)
    expansions = models.TextField(
        _("thuật ngữ chính thức"), help_text=_("Mỗi dòng một cụm từ, ví dụ: giấy phép lái xe")
    )
    active = models.BooleanField(_("đang dùng"), default=True)

    panels = [FieldPanel("term"), FieldPanel("expansions"), FieldPanel("active")]

    class Meta:
        ordering = ["term_key"]
        verbose_name = _("từ đồng nghĩa tìm kiếm")
        verbose_name_plural = _("từ đồng nghĩa tìm kiếm")

    def __str__(self):
        return f"{self.term} → {self.expansion_list[0] if self.expansion_list else ''}"

    def save(self, *args, **kwargs):
        self.term = normalize_text(self.term)
        self.term_key = " ".join(fold(self.term).split())
        self.expansions = "\n".join(self.expansion_list)
        super().save(*args, **kwargs)

    @property
    def expansion_list(self) -> list[str]:
        return [normalize_text(line) for line in self.expansions.splitlines() if normalize_text(line)]


class ProcedureSearchEntry(models.Model):
    """One live, public procedure as the database fallback searches it (folded text + facets).

    Kept in step with the Elasticsearch index by the same tasks (``search.indexing``).
    """

    page = models.OneToOneField("services.ProcedurePage", on_delete=models.CASCADE, related_name="search_entry")
    code = models.CharField(max_length=20, db_index=True)
    name = models.TextField()
    url = models.CharField(max_length=500)
    name_folded = models.TextField()
    text_folded = models.TextField(help_text="folded name, keywords, fields, agencies, subjects, steps, components")
    # Candidate lookups and word scores only ask which words occur: they scan this (a fifth of
    # the text's length on the Lâm Đồng catalogue), the text only for quoted phrases.
    words_folded = models.TextField(default="", help_text="the distinct words of text_folded, space-padded")
    level = models.CharField(max_length=20, blank=True)
    level_label = models.CharField(max_length=100, blank=True)
    facets = models.JSONField(default=dict)
    agency_names = models.TextField(blank=True)
    field_names = models.TextField(blank=True)

    class Meta:
        verbose_name = "procedure search entry"

    def __str__(self):
        return f"{self.code} {self.name}"
