"""Provincial administrators tie officers to their agency (*Cán bộ và cơ quan* in the admin).

An officer without an ``OfficerProfile`` sees no dossier; the profile was only reachable from
the shell. The group "Quản trị cấp tỉnh" may now view, add, change and delete profiles; the user
accounts themselves stay with superusers (Wagtail's Users screen).
"""

from django.db import migrations

CODENAMES = ["view_officerprofile", "add_officerprofile", "change_officerprofile", "delete_officerprofile"]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Quản trị cấp tỉnh")
    group.permissions.add(*Permission.objects.filter(codename__in=CODENAMES, content_type__app_label="services"))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Quản trị cấp tỉnh"):
        group.permissions.remove(*Permission.objects.filter(codename__in=CODENAMES, content_type__app_label="services"))


class Migration(migrations.Migration):
    dependencies = [("services", "0013_statistics_indexes_time_limit")]

    operations = [migrations.RunPython(grant, revoke)]
