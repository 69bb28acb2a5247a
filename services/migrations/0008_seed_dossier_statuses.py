"""The national dossier status vocabulary (DOMAIN.md §4), seeded as data; editors may rename."""

from django.db import migrations

STATUSES = [
    (1, "Mới đăng ký", "Đã nộp, chờ tiếp nhận", False),
    (2, "Đã tiếp nhận", "Đã tiếp nhận", False),
    (3, "Không được tiếp nhận", "Không được tiếp nhận", True),
    (4, "Đang xử lý", "Đang giải quyết", False),
    (5, "Yêu cầu bổ sung", "Cần bổ sung hồ sơ", False),
    (6, "Chờ thực hiện nghĩa vụ tài chính", "Chờ nộp phí, lệ phí, nghĩa vụ tài chính", False),
    (7, "Công dân rút hồ sơ", "Đã rút hồ sơ", True),
    (8, "Dừng xử lý", "Dừng giải quyết", True),
    (9, "Đã xử lý xong", "Đã có kết quả, chờ trả", False),
    (10, "Đã trả kết quả", "Đã trả kết quả", True),
]


def seed(apps, schema_editor):
    DossierStatus = apps.get_model("services", "DossierStatus")
    for code, name, public_name, is_final in STATUSES:
        DossierStatus.objects.get_or_create(
            code=code, defaults={"name": name, "public_name": public_name, "is_final": is_final}
        )


class Migration(migrations.Migration):
    dependencies = [("services", "0007_online_forms_dossiers_calendar")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
