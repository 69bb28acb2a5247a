"""The three survey templates written from the rules (DOMAIN.md §5), published, and permissions.

1. "Phiếu đánh giá việc giải quyết thủ tục hành chính" (Circular 01/2018 Art 13–14): the
   citizen questions for indices 1, 3, 4 and 7, each option worth the 2 / 1 / 0 points of the
   rule table (the system computes 2 from step timestamps and the unit indices 5, 6, 8, 9 come
   from the agency).
2. "Phiếu đánh giá mức độ hài lòng khi sử dụng dịch vụ công trực tuyến" (Circular 32/2017):
   overall, ease of use, timeliness and staff support, each Rất hài lòng (2) / Hài lòng (1) /
   Chưa hài lòng (0); asked for dossiers filed online.
3. "Phiếu tự đánh giá của cơ quan, đơn vị" (the provincial survey of the unit criteria):
   indices 5, 6, 8, 9 with their criteria as the 2 / 1 / 0 options.

Each is created live with one revision that is both latest and live (what Wagtail's publish
would leave), so editors find them published with a history, and evaluations can keep the
revision they were answered on. Question ids and block ids are fixed (uuid5), so the data is
the same on every database.

Permissions: agency leaders ("Lãnh đạo cơ quan") enter their agency's self-assessment;
provincial administrators ("Quản trị cấp tỉnh") edit and publish templates, see every
self-assessment and evaluation, and moderate feedback.
"""

import datetime
import uuid

from django.db import migrations
from django.utils import timezone

NAMESPACE = uuid.UUID("6f1c1a52-5d7e-4c1e-9a59-0e6a2c8b7d01")
VALID_FROM = datetime.date(2025, 1, 1)


def _id(*parts) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(map(str, parts))))


def _question(template, question_id, text, options, *, index=None, help_text="", kind="single_choice"):
    return {
        "type": kind,
        "id": _id(template, question_id),
        "value": {
            "question_id": question_id,
            "index": index,
            "text": text,
            "help_text": help_text,
            "required": True,
            "options": [
                {
                    "type": "item",
                    "id": _id(template, question_id, key),
                    "value": {"key": key, "label": label, "score": score},
                }
                for key, label, score in options
            ],
        },
    }


CITIZEN = "danh-gia-giai-quyet-tthc"
SATISFACTION = "muc-do-hai-long-dvctt"
SELF = "tu-danh-gia-co-quan"

SATISFACTION_OPTIONS = [
    ("rat-hai-long", "Rất hài lòng", 2),
    ("hai-long", "Hài lòng", 1),
    ("chua-hai-long", "Chưa hài lòng", 0),
]

TEMPLATES = [
    {
        "slug": CITIZEN,
        "name": "Phiếu đánh giá việc giải quyết thủ tục hành chính",
        "kind": "citizen_index",
        "legal_basis": "Nghị định 61/2018/NĐ-CP Điều 28–32; Thông tư 01/2018/TT-VPCP Điều 13–15",
        "intro": (
            "Xin ông/bà cho biết việc giải quyết hồ sơ vừa qua. Mỗi câu trả lời được tính điểm theo "
            "Thông tư 01/2018/TT-VPCP để đánh giá chất lượng giải quyết thủ tục hành chính của cơ quan."
        ),
        "questions": [
            _question(
                CITIZEN,
                "thoi-gian-giai-quyet",
                "Tổng thời gian giải quyết hồ sơ so với thời gian quy định",
                [
                    ("truoc-han", "Trả kết quả trước hạn (ngắn hơn thời gian quy định)", 2),
                    ("dung-han", "Trả kết quả đúng hạn (bằng thời gian quy định)", 1),
                    ("qua-han", "Trả kết quả quá hạn (dài hơn thời gian quy định)", 0),
                ],
                index=1,
            ),
            _question(
                CITIZEN,
                "so-lan-lien-he",
                "Số lần ông/bà phải liên hệ với nơi tiếp nhận hồ sơ để hoàn thiện hồ sơ",
                [
                    ("khong-lan-nao", "Không phải liên hệ lần nào", 2),
                    ("mot-lan", "Liên hệ 1 lần", 1),
                    ("hon-mot-lan", "Liên hệ hơn 1 lần", 0),
                ],
                index=3,
                help_text="Không tính những lần liên hệ do lỗi của chính người nộp hồ sơ.",
            ),
            _question(
                CITIZEN,
                "so-co-quan-lien-he",
                "Số cơ quan, đơn vị ông/bà phải liên hệ để hoàn thiện hồ sơ (ngoài nơi tiếp nhận)",
                [
                    ("khong-co-quan-nao", "Không phải liên hệ cơ quan, đơn vị nào", 2),
                    ("mot-co-quan", "1 cơ quan, đơn vị", 1),
                    ("hon-mot-co-quan", "Hơn 1 cơ quan, đơn vị", 0),
                ],
                index=4,
            ),
            _question(
                CITIZEN,
                "thai-do-can-bo",
                "Thái độ của cán bộ, công chức, viên chức khi hướng dẫn, tiếp nhận, giải quyết hồ sơ",
                [
                    (
                        "tra-som-khong-phan-anh",
                        "Trả kết quả trước hạn, không có phản ánh, kiến nghị về thái độ, hành vi của cán bộ",
                        2,
                    ),
                    (
                        "dung-han-khong-phan-anh",
                        "Trả kết quả đúng hạn, không có phản ánh, kiến nghị về thái độ, hành vi của cán bộ",
                        1,
                    ),
                    ("co-phan-anh", "Có phản ánh, kiến nghị về thái độ, hành vi của cán bộ (được xác minh là đúng)", 0),
                ],
                index=7,
            ),
        ],
    },
    {
        "slug": SATISFACTION,
        "name": "Phiếu đánh giá mức độ hài lòng khi sử dụng dịch vụ công trực tuyến",
        "kind": "online_satisfaction",
        "legal_basis": "Thông tư 32/2017/TT-BTTTT",
        "intro": "Hồ sơ được nộp trực tuyến: xin ông/bà cho biết mức độ hài lòng với dịch vụ công trực tuyến.",
        "questions": [
            _question(
                SATISFACTION, "overall", "Mức độ hài lòng chung về dịch vụ công trực tuyến", SATISFACTION_OPTIONS
            ),
            _question(
                SATISFACTION,
                "ease_of_use",
                "Mức độ dễ dàng khi sử dụng (tìm thủ tục, khai biểu mẫu, đính kèm giấy tờ)",
                SATISFACTION_OPTIONS,
            ),
            _question(
                SATISFACTION,
                "timeliness",
                "Mức độ kịp thời (tiếp nhận, thông báo tình trạng, trả kết quả)",
                SATISFACTION_OPTIONS,
            ),
            _question(
                SATISFACTION,
                "staff_support",
                "Mức độ hỗ trợ của cán bộ (hướng dẫn, giải đáp khi cần)",
                SATISFACTION_OPTIONS,
            ),
        ],
    },
    {
        "slug": SELF,
        "name": "Phiếu tự đánh giá của cơ quan, đơn vị (các chỉ số 5, 6, 8, 9)",
        "kind": "self_assessment",
        "legal_basis": "Nghị định 61/2018/NĐ-CP Điều 29; Thông tư 01/2018/TT-VPCP Điều 13–14",
        "intro": (
            "Lãnh đạo cơ quan, đơn vị tự đánh giá theo quý các chỉ số về tổ chức thực hiện cơ chế một cửa; "
            "mỗi chỉ số ghi rõ căn cứ, minh chứng. Phiếu đã gửi không sửa được."
        ),
        "questions": [
            _question(
                SELF,
                "mot-cua",
                "Thực hiện tiếp nhận, giải quyết, trả kết quả tại Bộ phận Một cửa",
                [
                    (
                        "vuot-ty-le",
                        "Toàn bộ quy trình tiếp nhận, giải quyết, trả kết quả thực hiện tại Bộ phận Một cửa với tỷ lệ thủ tục vượt mức quy định",
                        2,
                    ),
                    (
                        "du-thu-tuc",
                        "Mọi thủ tục thuộc diện tiếp nhận, trả kết quả tại Bộ phận Một cửa đều được thực hiện tại đó",
                        1,
                    ),
                    (
                        "chua-du",
                        "Còn thủ tục thuộc diện tiếp nhận, trả kết quả tại Bộ phận Một cửa nhưng chưa thực hiện tại đó",
                        0,
                    ),
                ],
                index=5,
            ),
            _question(
                SELF,
                "cong-khai",
                "Công khai thủ tục hành chính",
                [
                    (
                        "niem-yet-va-dien-tu",
                        "Công khai đầy đủ, đúng quy định, kịp thời cả bằng niêm yết tại nơi tiếp nhận và bằng hình thức điện tử",
                        2,
                    ),
                    (
                        "mot-hinh-thuc",
                        "Công khai đầy đủ, đúng quy định bằng một trong hai hình thức (niêm yết hoặc điện tử)",
                        1,
                    ),
                    ("khong-dung", "Công khai không đầy đủ, không đúng quy định hoặc không kịp thời", 0),
                ],
                index=6,
            ),
            _question(
                SELF,
                "phan-anh-kien-nghi",
                "Tiếp nhận, xử lý phản ánh, kiến nghị về giải quyết thủ tục hành chính",
                [
                    (
                        "khong-co-hoac-dung-han",
                        "Không có phản ánh, kiến nghị, hoặc 100% phản ánh, kiến nghị được xử lý đúng hạn",
                        2,
                    ),
                    ("tu-90", "Từ 90% đến dưới 100% phản ánh, kiến nghị được xử lý đúng hạn", 1),
                    ("duoi-90", "Dưới 90% được xử lý đúng hạn, hoặc có phản ánh, kiến nghị kéo dài", 0),
                ],
                index=8,
            ),
            _question(
                SELF,
                "dich-vu-cong-truc-tuyen",
                "Tiến độ và chất lượng cung cấp dịch vụ công trực tuyến",
                [
                    (
                        "dat",
                        "Từ 20% thủ tục trở lên cung cấp trực tuyến mức độ 3, 4, từ 30% hồ sơ trở lên tiếp nhận trực tuyến và không có hồ sơ trực tuyến quá hạn",
                        2,
                    ),
                    (
                        "da-trien-khai",
                        "Đã cung cấp dịch vụ công trực tuyến mức độ 3, 4 và từ 15% đến dưới 30% hồ sơ được tiếp nhận trực tuyến",
                        1,
                    ),
                    ("con-lai", "Các trường hợp còn lại", 0),
                ],
                index=9,
            ),
        ],
    },
]

GROUP_PERMISSIONS = {
    "Lãnh đạo cơ quan": ["add_selfassessment", "change_selfassessment", "view_selfassessment"],
    "Quản trị cấp tỉnh": [
        "view_selfassessment",
        "view_all_selfassessments",
        "add_surveytemplate",
        "change_surveytemplate",
        "delete_surveytemplate",
        "publish_surveytemplate",
        "lock_surveytemplate",
        "unlock_surveytemplate",
        "view_surveytemplate",
        "view_evaluation",
        "view_generalfeedback",
        "change_generalfeedback",
    ],
}


def create_templates(apps, schema_editor):
    from modelcluster.models import get_serializable_data_for_fields

    SurveyTemplate = apps.get_model("evaluation", "SurveyTemplate")
    Revision = apps.get_model("wagtailcore", "Revision")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(app_label="evaluation", model="surveytemplate")
    now = timezone.now()
    for spec in TEMPLATES:
        if SurveyTemplate.objects.filter(name=spec["name"], kind=spec["kind"]).exists():
            continue
        template = SurveyTemplate.objects.create(
            name=spec["name"],
            kind=spec["kind"],
            legal_basis=spec["legal_basis"],
            intro=spec["intro"],
            questions=spec["questions"],
            valid_from=VALID_FROM,
            live=True,
            has_unpublished_changes=False,
            first_published_at=now,
            last_published_at=now,
        )
        template.refresh_from_db()
        content = get_serializable_data_for_fields(template)
        content.update(procedures=[], agencies=[])
        revision = Revision.objects.create(
            content_type=content_type,
            base_content_type=content_type,
            object_id=str(template.pk),
            created_at=now,
            object_str=template.name,
            content=content,
        )
        SurveyTemplate.objects.filter(pk=template.pk).update(latest_revision=revision, live_revision=revision)


def grant_permissions(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    # Wagtail adds the snippet permissions publish/lock/unlock after migrate (post_migrate); the
    # groups need them now, with the same codename and wording.
    template_type, _ = ContentType.objects.get_or_create(app_label="evaluation", model="surveytemplate")
    for action in ("publish", "lock", "unlock"):
        Permission.objects.get_or_create(
            content_type=template_type,
            codename=f"{action}_surveytemplate",
            defaults={"name": f"Can {action} phiếu khảo sát"},
        )
    for name, codenames in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="evaluation", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0001_initial"),
        ("services", "0010_officer_groups"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_templates, migrations.RunPython.noop),
        migrations.RunPython(grant_permissions, migrations.RunPython.noop),
    ]
