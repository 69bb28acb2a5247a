"""The roll-out planning roles as groups (issue 7; DOMAIN.md §1, the Quảng Bình 2019 story).

- agency leaders (existing group "Lãnh đạo cơ quan") propose services for their own agency
  (the agency comes from ``OfficerProfile``);
- the aggregating department (Sở Thông tin và Truyền thông with the provincial office) reviews
  proposals, imports and matches the national lists, builds the plan and records deployment;
- the Chairman of the provincial People's Committee approves the plan.
"""

from django.db import migrations

AGGREGATOR = "Cơ quan tổng hợp kế hoạch DVC trực tuyến"
CHAIRMAN = "Chủ tịch UBND tỉnh"

GROUPS = {
    "Lãnh đạo cơ quan": ["propose_service"],
    AGGREGATOR: ["aggregate_proposals", "manage_mandates", "access_admin"],
    CHAIRMAN: ["approve_plan", "access_admin"],
}


def create_groups(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        perms = Permission.objects.filter(codename__in=codenames, content_type__app_label__in=["rollout", "wagtailadmin"])
        group.permissions.add(*perms)


class Migration(migrations.Migration):
    dependencies = [
        ("rollout", "0001_initial"),
        ("services", "0010_officer_groups"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
