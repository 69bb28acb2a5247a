"""The one-stop roles as groups with their permissions (Decree 61/2018 Art 11–13; issue 5).

Desk officers receive and return dossiers, processing officers appraise them, agency leaders
decide (results, apologies with a new date, stopping), provincial administrators see every
agency. An officer's agency comes from ``OfficerProfile``; the groups only say what they may do.
"""

from django.db import migrations

GROUPS = {
    "Cán bộ Bộ phận Một cửa": ["view_dossier", "receive_dossier", "access_admin"],
    "Cán bộ xử lý hồ sơ": ["view_dossier", "process_dossier", "access_admin"],
    "Lãnh đạo cơ quan": ["view_dossier", "process_dossier", "decide_dossier", "access_admin"],
    "Quản trị cấp tỉnh": [
        "view_dossier",
        "receive_dossier",
        "process_dossier",
        "decide_dossier",
        "view_all_dossiers",
        "access_admin",
    ],
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
        perms = Permission.objects.filter(
            codename__in=codenames, content_type__app_label__in=["services", "wagtailadmin"]
        )
        group.permissions.add(*perms)


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0009_one_stop_processing"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
