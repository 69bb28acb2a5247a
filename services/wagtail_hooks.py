"""Admin wiring of the catalogue: reference data through wagtail-modeladmin, import/export views."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register

from services import views_admin
from services.models import (
    AdministrativeTier,
    Agency,
    CalendarAdjustment,
    DossierStatus,
    FieldOfWork,
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
