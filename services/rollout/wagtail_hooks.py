"""Admin wiring of roll-out planning: the ``/admin/ke-hoach-dvc/…`` pages and their menu.

A submenu "Kế hoạch DVC trực tuyến" with proposals (agency users, the aggregating department,
the Chairman), plans (aggregating department, Chairman) and the national lists with their match
review (``rollout.manage_mandates``). Each item is shown only to those who may open it.
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from services.rollout import admin_views as v


@hooks.register("register_admin_urls")
def register_rollout_urls():
    return [
        path("ke-hoach-dvc/", v.proposal_index, name="rollout_proposals"),
        path("ke-hoach-dvc/de-xuat/them/", v.proposal_create, name="rollout_proposal_create"),
        path("ke-hoach-dvc/de-xuat/<int:pk>/", v.proposal_detail, name="rollout_proposal"),
        path("ke-hoach-dvc/de-xuat/<int:pk>/sua/", v.proposal_edit, name="rollout_proposal_edit"),
        path("ke-hoach-dvc/de-xuat/<int:pk>/<slug:action>/", v.proposal_action, name="rollout_proposal_action"),
        path("ke-hoach-dvc/ke-hoach/", v.plan_index, name="rollout_plans"),
        path("ke-hoach-dvc/ke-hoach/<int:pk>/", v.plan_detail, name="rollout_plan"),
        path("ke-hoach-dvc/ke-hoach/<int:pk>/xuat/", v.plan_export, name="rollout_plan_export"),
        path("ke-hoach-dvc/ke-hoach/<int:pk>/<slug:action>/", v.plan_action, name="rollout_plan_action"),
        path("ke-hoach-dvc/danh-muc-quoc-gia/", v.mandate_index, name="rollout_mandates"),
        path("ke-hoach-dvc/danh-muc-quoc-gia/xuat/", v.mandate_export, name="rollout_mandates_export"),
        path("ke-hoach-dvc/danh-muc-quoc-gia/<int:pk>/", v.mandate_review, name="rollout_mandate_review"),
    ]


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, perms=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.perms = perms

    def is_shown(self, request):
        user = request.user
        return user.is_superuser or any(user.has_perm(p) for p in self.perms)


PROPOSALS = ("rollout.propose_service", "rollout.aggregate_proposals", "rollout.approve_plan")
PLANS = ("rollout.aggregate_proposals", "rollout.approve_plan")
MANDATES = ("rollout.manage_mandates", "rollout.aggregate_proposals")


class RolloutSubmenu(SubmenuMenuItem):
    def is_shown(self, request):
        user = request.user
        return user.is_superuser or any(user.has_perm(p) for p in PROPOSALS)


@hooks.register("register_admin_menu_item")
def register_rollout_menu():
    menu = Menu(
        items=[
            PermissionMenuItem(
                _("Đề xuất"), reverse("rollout_proposals"), icon_name="list-ul", order=1, perms=PROPOSALS
            ),
            PermissionMenuItem(_("Kế hoạch"), reverse("rollout_plans"), icon_name="date", order=2, perms=PLANS),
            PermissionMenuItem(
                _("Danh mục quốc gia"), reverse("rollout_mandates"), icon_name="list-ol", order=3, perms=MANDATES
            ),
        ]
    )
    return RolloutSubmenu(_("Kế hoạch DVC"), menu, icon_name="date", order=330)
