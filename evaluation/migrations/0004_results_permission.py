"""Provincial administrators ("Quản trị cấp tỉnh") may recompute and publish evaluation results.

Decree 61/2018 Art 32: the provincial office aggregates and publishes the results. The
permission ``evaluation.publish_results`` (``ResultPeriod.Meta.permissions``) is created here,
as Django would after migrate, so that the group gets it in the same run; also view access to
the result rows.
"""

from django.db import migrations

CODENAMES = [
    "publish_results",
    "view_resultperiod",
    "view_agencyresult",
    "view_procedureresult",
    "view_officerresult",
]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("evaluation")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    group, _ = Group.objects.get_or_create(name="Quản trị cấp tỉnh")
    group.permissions.add(*Permission.objects.filter(content_type__app_label="evaluation", codename__in=CODENAMES))


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name="Quản trị cấp tỉnh").first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="evaluation", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0003_results"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
