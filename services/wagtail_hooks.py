"""Admin wiring: catalogue reference data through wagtail-modeladmin, import/export views, and the
one-stop back office (``DossierAdmin`` list, ``/admin/ho-so/…`` pages of ``dossiers.admin_views``)."""

from datetime import date, timedelta

from django.contrib.admin import SimpleListFilter, display
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet
from wagtail_modeladmin.helpers import ButtonHelper, PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register

from services import views_admin
from services.dossiers import admin_views as dossier_views
from services.dossiers import backoffice
from services.dossiers.selectors import dossiers_for_user, person_name
from services.models import (
    AdministrativeTier,
    Agency,
    CalendarAdjustment,
    Dossier,
    DossierStatus,
    FieldOfWork,
    OfficerProfile,
    OnlineServiceForm,
    OnlineServiceLevel,
    Subject,
)


class OnlineServiceLevelAdmin(ModelAdmin):
    model = OnlineServiceLevel
    menu_icon = "success"
    list_display = ("label", "classification", "allows_online_filing", "legacy_level")
    list_filter = ("classification", "allows_online_filing")
    search_fields = ("label",)
    ordering = ("sort_order", "label")


class AdministrativeTierAdmin(ModelAdmin):
    model = AdministrativeTier
    menu_icon = "list-ol"
    list_display = ("code", "name", "active")


class FieldOfWorkAdmin(ModelAdmin):
    model = FieldOfWork
    menu_icon = "folder-open-inverse"
    list_display = ("name", "code", "slug")
    search_fields = ("name", "code")


class AgencyAdmin(ModelAdmin):
    model = Agency
    menu_icon = "group"
    list_display = ("name", "identifier", "tier", "parent")
    list_filter = ("tier",)
    search_fields = ("name", "identifier")
    list_select_related = ("tier", "parent")


class SubjectAdmin(ModelAdmin):
    model = Subject
    menu_icon = "user"
    list_display = ("name",)
    search_fields = ("name",)


class CalendarAdjustmentAdmin(ModelAdmin):
    """The yearly announced make-up working days and extra days off (due dates read them)."""

    model = CalendarAdjustment
    menu_icon = "date"
    list_display = ("date", "kind", "description", "source")
    list_filter = ("kind",)
    search_fields = ("description", "source")


class DossierStatusAdmin(ModelAdmin):
    model = DossierStatus
    menu_icon = "tasks"
    list_display = ("code", "name", "public_name", "is_final")


class OfficerProfileAdmin(ModelAdmin):
    """Which agency each officer works for: the scope of everything they see in *Hồ sơ một cửa*.

    Create the user (Users) and give them a group first (Cán bộ Bộ phận Một cửa, Cán bộ xử lý
    hồ sơ, Lãnh đạo cơ quan), then add the officer here with their agency.
    """

    model = OfficerProfile
    menu_label = _("Cán bộ và cơ quan")
    menu_icon = "group"
    list_display = ("officer_name", "account", "agency")
    list_filter = ("agency__tier",)
    search_fields = ("user__username", "user__first_name", "user__last_name", "agency__name")
    list_select_related = ("user", "agency")

    @display(description=_("họ và tên"))
    def officer_name(self, profile):
        return person_name(profile.user)

    @display(description=_("tài khoản"), ordering="user__username")
    def account(self, profile):
        return profile.user.get_username()


class CatalogueReferenceGroup(ModelAdminGroup):
    menu_label = _("Danh mục dùng chung")
    menu_icon = "folder-inverse"
    menu_order = 300
    items = (
        OnlineServiceLevelAdmin,
        AdministrativeTierAdmin,
        FieldOfWorkAdmin,
        AgencyAdmin,
        SubjectAdmin,
        CalendarAdjustmentAdmin,
        DossierStatusAdmin,
        OfficerProfileAdmin,
    )


class OnlineServiceFormViewSet(SnippetViewSet):
    """Online service forms: drafts, revisions, preview, publishing; only the live one serves citizens."""

    model = OnlineServiceForm
    icon = "form"
    menu_label = _("Biểu mẫu điện tử")
    menu_order = 320
    add_to_admin_menu = True
    list_display = ["title", "procedure", "case_title", "receiving_agency"]
    list_filter = ["live"]
    search_fields = ["title"]


register_snippet(OnlineServiceFormViewSet)


modeladmin_register(CatalogueReferenceGroup)


@hooks.register("register_admin_urls")
def register_catalogue_urls():
    return [
        path("danh-muc/nhap/", views_admin.import_view, name="services_catalogue_import"),
        path("danh-muc/xuat/", views_admin.export_view, name="services_catalogue_export"),
        path(
            "bieu-mau/tu-thu-tuc/<int:page_id>/",
            views_admin.online_form_from_procedure_view,
            name="services_online_form_from_procedure",
        ),
    ]


@hooks.register("register_page_header_buttons")
def online_form_button(page, user, view_name, next_url=None):
    """ "Tạo biểu mẫu điện tử" on procedure pages whose level allows online filing."""
    from wagtail.admin.widgets import Button

    from services.models import ProcedurePage

    specific = page.specific_deferred if hasattr(page, "specific_deferred") else page
    if (
        isinstance(specific, ProcedurePage)
        and specific.allows_online_filing
        and user.has_perm("services.add_onlineserviceform")
    ):
        yield Button(
            _("Tạo biểu mẫu điện tử"),
            reverse("services_online_form_from_procedure", args=[page.pk]),
            icon_name="form",
            priority=40,
        )


class ImportExportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("services.import_catalogue")


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportExportMenuItem(
        _("Nhập/Xuất danh mục"), reverse("services_catalogue_import"), icon_name="download", order=310
    )


# -- one-stop back office: the dossier list ---------------------------------------------------------


def _today() -> date:
    return timezone.localdate(timezone=backoffice.LOCAL_TZ)


class TimelinessFilter(SimpleListFilter):
    """Early / on time / late today (``backoffice.timeliness_q``: due date against the finish or today)."""

    title = _("tiến độ")
    parameter_name = "tien_do"

    def lookups(self, request, model_admin):
        return backoffice.Timeliness.choices

    def queryset(self, request, queryset):
        if self.value() not in backoffice.Timeliness.values:
            return queryset
        annotated = backoffice.with_timeliness_dates(queryset)
        return annotated.filter(backoffice.timeliness_q(self.value(), today=_today()))


class ProcedureFilter(SimpleListFilter):
    """The procedures (by national code) of the dossiers the officer can see, at most 200."""

    title = _("thủ tục")
    parameter_name = "thu_tuc"

    def lookups(self, request, model_admin):
        rows = (
            dossiers_for_user(request.user)
            .order_by("procedure_code")
            .values_list("procedure_code", flat=True)
            .distinct()[:200]
        )
        return [(code, code) for code in rows if code]

    def queryset(self, request, queryset):
        return queryset.filter(procedure_code=self.value()) if self.value() else queryset


class ReceivedPeriodFilter(SimpleListFilter):
    """When the dossier was received (``submitted_at``, Vietnamese time): day, week, month, quarter, year."""

    title = _("thời gian nhận")
    parameter_name = "ky"

    def lookups(self, request, model_admin):
        return [
            ("hom-nay", _("Hôm nay")),
            ("tuan-nay", _("Tuần này")),
            ("thang-nay", _("Tháng này")),
            ("thang-truoc", _("Tháng trước")),
            ("quy-nay", _("Quý này")),
            ("nam-nay", _("Năm nay")),
            ("nam-truoc", _("Năm trước")),
        ]

    @staticmethod
    def period(value: str, today: date) -> tuple[date, date] | None:
        if value == "hom-nay":
            return today, today
        if value == "tuan-nay":
            return today - timedelta(days=today.weekday()), today
        if value == "thang-nay":
            return today.replace(day=1), today
        if value == "thang-truoc":
            end = today.replace(day=1) - timedelta(days=1)
            return end.replace(day=1), end
        if value == "quy-nay":
            return date(today.year, 3 * ((today.month - 1) // 3) + 1, 1), today
        if value == "nam-nay":
            return date(today.year, 1, 1), today
        if value == "nam-truoc":
            return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
        return None

    def queryset(self, request, queryset):
        period = self.period(self.value() or "", _today())
        return backoffice.received_between(queryset, *period) if period else queryset


class DossierPermissionHelper(PermissionHelper):
    """Dossiers are listed here and changed only through the workflow: no create, edit or delete."""

    def user_can_list(self, user):
        return user.has_perm("services.view_dossier") or user.has_perm("services.view_all_dossiers")

    def user_can_create(self, user):
        return False

    def user_can_inspect_obj(self, user, obj):
        return False

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False


class DossierButtonHelper(ButtonHelper):
    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        return [
            {
                "url": reverse("services_dossier_detail", args=[obj.code]),
                "label": _("Mở hồ sơ"),
                "classname": self.finalise_classname(classnames_add or [], classnames_exclude or []),
                "title": _("Mở hồ sơ %(code)s") % {"code": obj.code},
            }
        ]


class DossierAdmin(ModelAdmin):
    """The one-stop dossier list (Hồ sơ một cửa): only the dossiers of the officer's agency.

    The queryset is ``selectors.dossiers_for_user``; the dossier page, actions, forms and intake
    are ``/admin/ho-so/…`` views (``dossiers.admin_views``), so modeladmin registers only its
    list (no create, edit, delete, inspect or history URL through which a dossier could leak).
    """

    model = Dossier
    menu_label = _("Hồ sơ một cửa")
    menu_icon = "doc-full-inverse"
    menu_order = 200
    base_url_path = "ho-so"
    index_view_class = dossier_views.DossierIndexView
    index_template_name = "services/backoffice/dossier_index.html"
    permission_helper_class = DossierPermissionHelper
    button_helper_class = DossierButtonHelper
    list_display = (
        "code_link",
        "applicant_name",
        "procedure_display",
        "channel",
        "status_display",
        "submitted_display",
        "due_display",
        "timeliness_display",
    )
    list_display_add_buttons = "code_link"
    list_filter = ("status", TimelinessFilter, ProcedureFilter, "channel", ReceivedPeriodFilter)
    list_select_related = ("status", "receiving_agency")
    search_fields = ("code", "applicant_name", "applicant_id_number")
    ordering = ("-submitted_at",)
    list_per_page = 50
    inspect_view_enabled = False
    history_view_enabled = False

    def get_queryset(self, request):
        return dossiers_for_user(request.user)

    def get_admin_urls_for_registration(self):
        return super().get_admin_urls_for_registration()[:1]  # the index only

    @display(description=_("Mã hồ sơ"), ordering="code")
    def code_link(self, obj):
        # Break after the dashes of "<agency id>-YYMMDD-XXXX" rather than widen the column.
        parts = format_html_join(mark_safe("-<wbr>"), "{}", ((part,) for part in obj.code.split("-")))
        return format_html('<a href="{}">{}</a>', reverse("services_dossier_detail", args=[obj.code]), parts)

    @display(description=_("Thủ tục"), ordering="procedure_code")
    def procedure_display(self, obj):
        name = Truncator(obj.procedure_name).chars(48)
        return format_html('<span title="{}">{}</span><small>{}</small>', obj.procedure_name, obj.procedure_code, name)

    @display(description=_("Trạng thái"), ordering="status__code")
    def status_display(self, obj):
        return obj.status.name

    @display(description=_("Ngày nộp"), ordering="submitted_at")
    def submitted_display(self, obj):
        moment = timezone.localtime(obj.submitted_at, backoffice.LOCAL_TZ)
        return format_html("{}<small>{}</small>", f"{moment:%d/%m/%Y}", f"{moment:%H:%M}")

    @display(description=_("Hẹn trả"), ordering="due_date")
    def due_display(self, obj):
        return f"{obj.due_date:%d/%m/%Y}" if obj.due_date else "—"

    @display(description=_("Tiến độ"))
    def timeliness_display(self, obj):
        value = backoffice.dossier_timeliness(obj, today=_today())
        if value is None:
            return "—"
        return format_html('<span class="bo-timeliness bo-timeliness--{}">{}</span>', value.value, value.label)


modeladmin_register(DossierAdmin)


@hooks.register("register_admin_urls")
def register_backoffice_urls():
    v = dossier_views
    return [
        path("ho-so/tiep-nhan/", v.intake_search, name="services_dossier_intake"),
        path("ho-so/tiep-nhan/<int:procedure_id>/", v.intake_form, name="services_dossier_intake_form"),
        path("ho-so/tiep-nhan/<int:procedure_id>/<int:case>/", v.intake_form, name="services_dossier_intake_case"),
        path("ho-so/so-theo-doi/", v.dossier_ledger, name="services_dossier_ledger"),
        path("ho-so/xin-y-kien/", v.consultation_inbox, name="services_consultation_inbox"),
        path("ho-so/xin-y-kien/<int:pk>/tra-loi/", v.consultation_reply, name="services_consultation_reply"),
        path("ho-so/<str:code>/", v.dossier_detail, name="services_dossier_detail"),
        path("ho-so/<str:code>/thao-tac/<str:name>/", v.dossier_action, name="services_dossier_action"),
        path("ho-so/<str:code>/tep/<int:pk>/", v.dossier_attachment, name="services_dossier_attachment"),
        path("ho-so/<str:code>/mau/01.pdf", v.dossier_receipt_pdf, name="services_dossier_receipt_pdf"),
        path("ho-so/<str:code>/mau/<str:number>/", v.dossier_form, name="services_dossier_form"),
    ]
