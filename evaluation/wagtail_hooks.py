"""Admin wiring of the evaluation app.

- *Phiếu khảo sát*: survey templates as snippets (drafts, revisions, preview, publish, locking);
- *Đánh giá của người dân*: citizens' evaluations, listed and inspected only (never added,
  edited or deleted in the admin: ``ReadOnlyPolicy``);
- *Góp ý chung*: anonymous feedback, moderated (only the status is editable; who and when is
  recorded on the row and in the history);
- *Tự đánh giá*: the agencies' quarterly self-assessment (``admin_views``, ``/admin/tu-danh-gia/``);
- log actions for the audit entries ``evaluation.services`` writes.
"""

from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from evaluation import admin_results, admin_views  # noqa: F401 (admin_results registers its own hooks)
from evaluation.models import Evaluation, GeneralFeedback, SurveyTemplate


class SurveyTemplateViewSet(SnippetViewSet):
    """Survey templates: only the published version is asked; evaluations keep their revision."""

    model = SurveyTemplate
    icon = "help"
    menu_label = _("Phiếu khảo sát")
    menu_order = 330
    add_to_admin_menu = True
    list_display = ["name", "kind", "valid_from", "valid_until"]
    list_filter = ["kind", "live"]
    search_fields = ["name"]


class FeedbackModerationForm(WagtailAdminModelForm):
    """Saving the status records the moderator and the moment (``moderated_by``/``moderated_at``)."""

    def save(self, commit=True):
        instance = super().save(commit=False)
        if "status" in self.changed_data:
            instance.moderated_by = self.for_user
            instance.moderated_at = timezone.now()
        if commit:
            instance.save()
        return instance


class GeneralFeedbackViewSet(SnippetViewSet):
    """Anonymous feedback to moderate; its content is shown, never edited."""

    model = GeneralFeedback
    icon = "comment"
    menu_label = _("Góp ý chung")
    menu_order = 335
    add_to_admin_menu = True
    list_display = ["created_at", "text", "agency", "status"]
    list_filter = ["status"]
    search_fields = ["text"]
    edit_handler = ObjectList(
        [
            FieldPanel("text", read_only=True),
            FieldPanel("agency", read_only=True),
            FieldPanel("procedure", read_only=True),
            FieldPanel("ratings", read_only=True),
            FieldPanel("created_at", read_only=True),
            FieldPanel("status"),
            FieldPanel("moderated_by", read_only=True),
            FieldPanel("moderated_at", read_only=True),
        ],
        base_form_class=FeedbackModerationForm,
    )


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Only ``view``: what citizens answered is evidence and is never changed through the admin,
    not even by a superuser (one per dossier; ``evaluation.services.evaluation_submit`` writes it)."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class FeedbackPolicy(ModelPermissionPolicy):
    """Feedback comes from citizens only: staff view and moderate (change the status), never add."""

    def user_has_permission(self, user, action):
        return action in ("view", "change") and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(Evaluation, ReadOnlyPolicy(Evaluation))
register_permission_policy(GeneralFeedback, FeedbackPolicy(GeneralFeedback))


class EvaluationViewSet(SnippetViewSet):
    """Citizens' evaluations (all channels) for the province: list, filter, inspect."""

    model = Evaluation
    icon = "comment"
    menu_label = _("Đánh giá của người dân")
    menu_order = 332
    add_to_admin_menu = True
    inspect_view_enabled = True
    list_display = ["dossier", "agency", "procedure_code", "channel", "submitted_at"]
    list_filter = ["channel", "agency"]
    search_fields = ["procedure_code", "comment"]
    inspect_view_fields = [
        "dossier",
        "agency",
        "procedure_code",
        "template",
        "satisfaction_template",
        "channel",
        "entered_by",
        "submitted_at",
        "comment",
    ]

    def get_queryset(self, request):
        return Evaluation.objects.select_related("dossier", "agency")


register_snippet(SurveyTemplateViewSet)
register_snippet(EvaluationViewSet)
register_snippet(GeneralFeedbackViewSet)


@hooks.register("register_admin_urls")
def register_self_assessment_urls():
    return [
        path("tu-danh-gia/", admin_views.self_assessment_index, name="evaluation_self_assessments"),
        path(
            "tu-danh-gia/<int:year>/<int:quarter>/",
            admin_views.self_assessment_edit,
            name="evaluation_self_assessment_edit",
        ),
        path("tu-danh-gia/xem/<int:pk>/", admin_views.self_assessment_detail, name="evaluation_self_assessment_detail"),
    ]


class SelfAssessmentMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.can_list(request.user)


@hooks.register("register_admin_menu_item")
def register_self_assessment_menu_item():
    return SelfAssessmentMenuItem(
        _("Tự đánh giá"), reverse("evaluation_self_assessments"), icon_name="tasks", order=340
    )


@hooks.register("register_log_actions")
def register_evaluation_log_actions(actions):
    actions.register_action("evaluation.self_assessment_save", _("Lưu tự đánh giá"), _("Lưu bản nháp tự đánh giá"))
    actions.register_action("evaluation.self_assessment_submit", _("Gửi tự đánh giá"), _("Gửi và khóa tự đánh giá"))
    actions.register_action("evaluation.enter_paper", _("Nhập phiếu giấy"), _("Nhập phiếu đánh giá bằng giấy"))
    actions.register_action("evaluation.feedback_moderate", _("Xem xét góp ý"), _("Đổi tình trạng góp ý"))
