"""Online service forms (biểu mẫu điện tử) that citizens fill to file a dossier online.

A form is a snippet with drafts, revisions and publishing: editors build it from the named
blocks of ``services.blocks.forms`` and attach it to a procedure, optionally to one of the
procedure's cases. Citizens are only ever served the published version (case C14): for a
snippet with ``DraftStateMixin`` Wagtail keeps unpublished edits in revisions and leaves the
row as last published, so ``OnlineServiceForm.objects.live()`` rows are exactly what is live.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import DraftStateMixin, LockableMixin, PreviewableMixin, RevisionMixin
from wagtail.search import index

from services.blocks import FORM_FIELD_BLOCKS
from services.models.pages import ProcedurePage
from services.models.reference import Agency


class OnlineServiceFormQuerySet(models.QuerySet):
    def live(self):
        """Published forms attached to a live procedure page: the only ones citizens may use."""
        return self.filter(live=True, procedure__live=True)


class OnlineServiceForm(DraftStateMixin, LockableMixin, RevisionMixin, PreviewableMixin, index.Indexed, models.Model):
    """The electronic form of a procedure offered online (level 3/4, "một phần" / "toàn trình").

    ``case_title`` ties the form to one case (trường hợp) of the procedure; blank means it serves
    the whole procedure. ``receiving_agency`` is where dossiers filed with this form go; blank
    means the procedure's implementing agency. Dossiers keep the revision they were filed with.
    """

    title = models.CharField(_("tên biểu mẫu"), max_length=255)
    procedure = models.ForeignKey(
        ProcedurePage,
        verbose_name=_("thủ tục"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="online_forms",
    )
    case_title = models.CharField(
        _("trường hợp"),
        max_length=1000,
        blank=True,
        help_text=_("Để trống nếu biểu mẫu dùng cho mọi trường hợp của thủ tục."),
    )
    receiving_agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan tiếp nhận"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="online_forms",
        help_text=_("Để trống: cơ quan thực hiện của thủ tục."),
    )
    intro = models.TextField(_("hướng dẫn chung"), blank=True)
    fields = StreamField(FORM_FIELD_BLOCKS, verbose_name=_("các trường"), blank=True)

    objects = OnlineServiceFormQuerySet.as_manager()

    panels = [
        FieldPanel("title"),
        MultiFieldPanel(
            [FieldPanel("procedure"), FieldPanel("case_title"), FieldPanel("receiving_agency")],
            heading=_("Thủ tục áp dụng"),
        ),
        FieldPanel("intro"),
        FieldPanel("fields"),
    ]
    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]

    class Meta:
        verbose_name = _("biểu mẫu điện tử")
        verbose_name_plural = _("biểu mẫu điện tử")
        ordering = ["title"]

    def __str__(self):
        return self.title

    def clean(self):
        """Refuses a case the procedure does not have and a receiving agency without identifier."""
        from django.core.exceptions import ValidationError

        super().clean()
        errors = {}
        if self.procedure_id and self.case_title:
            titles = [block.value.get("title") or "" for block in self.procedure.cases]
            if self.case_title not in titles:
                errors["case_title"] = _("Thủ tục không có trường hợp này. Các trường hợp: %(cases)s") % {
                    "cases": "; ".join(t for t in titles if t) or _("(không chia trường hợp)")
                }
        agency = self.implementing_agency()
        if self.procedure_id and agency is not None and not agency.identifier:
            errors["receiving_agency"] = _(
                "Cơ quan tiếp nhận “%(name)s” chưa có mã định danh (QCVN 102:2016) nên chưa cấp được mã hồ sơ."
            ) % {"name": agency.name}
        if errors:
            raise ValidationError(errors)

    def get_preview_template(self, request, mode_name):
        return "services/filing/form_preview.html"

    def implementing_agency(self) -> Agency | None:
        """The agency that receives dossiers filed with this form (the form's, else the procedure's)."""
        if self.receiving_agency_id:
            return self.receiving_agency
        if not self.procedure_id:
            return None
        roles = self.procedure.agency_roles.select_related("agency").order_by("sort_order")
        implementing = [r.agency for r in roles if r.role == "implementing"]
        return (implementing or [r.agency for r in roles] or [None])[0]
