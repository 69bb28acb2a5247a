"""Seed the online-service level labels and administrative tiers real catalogues use.

Legacy mapping (DOMAIN.md §3): level 4 -> toàn trình, level 3 -> một phần, levels 1–2 and
"Còn lại" -> information only. Administrators can add labels later in the admin.
"""

from django.db import migrations

LEVELS = [
    # label, classification, allows online filing, legacy level
    ("Toàn trình", "full", True, 4),
    ("Dịch vụ công trực tuyến toàn trình", "full", True, 4),
    ("Một phần", "partial", True, 3),
    ("Dịch vụ công trực tuyến một phần", "partial", True, 3),
    ("Mức độ 4", "full", True, 4),
    ("Mức độ 3", "partial", True, 3),
    ("Mức độ 2", "information", False, 2),
    ("Mức độ 1", "information", False, 1),
    ("Còn lại", "information", False, None),
    ("Cung cấp thông tin", "information", False, None),
]

TIERS = [
    ("bo", "Cấp Bộ", True),
    ("tinh", "Cấp Tỉnh", True),
    ("huyen", "Cấp Huyện", False),
    ("xa", "Cấp Xã", True),
]


def seed(apps, schema_editor):
    from services.text import fold

    Level = apps.get_model("services", "OnlineServiceLevel")
    Tier = apps.get_model("services", "AdministrativeTier")
    for order, (label, classification, online, legacy) in enumerate(LEVELS):
        Level.objects.update_or_create(
            lookup_key=fold(label),
            defaults={"label": label, "classification": classification, "allows_online_filing": online,
                      "legacy_level": legacy, "sort_order": order},
        )
    for order, (code, name, active) in enumerate(TIERS):
        Tier.objects.update_or_create(code=code, defaults={"name": name, "active": active, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("services", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
