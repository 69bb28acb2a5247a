"""Replace Wagtail's welcome page with the portal's home page and point the default site at it."""

from django.db import migrations


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("home.HomePage")
    Locale = apps.get_model("wagtailcore.Locale")

    Page.objects.filter(depth=2, slug="home", content_type__model="page").delete()
    content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="home")
    locale = Locale.objects.first()
    home = HomePage.objects.create(
        title="Cổng Dịch vụ công",
        draft_title="Cổng Dịch vụ công",
        slug="trang-chu",
        content_type=content_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/trang-chu/",
        locale=locale,
        intro="Tra cứu thủ tục hành chính, nộp hồ sơ trực tuyến và theo dõi kết quả giải quyết.",
    )
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "root_page_id": home.id, "site_name": "Cổng Dịch vụ công"},
    )


def remove_homepage(apps, schema_editor):
    apps.get_model("home.HomePage").objects.filter(slug="trang-chu", depth=2).delete()


class Migration(migrations.Migration):
    run_before = []
    dependencies = [("home", "0001_initial"), ("wagtailcore", "0098_apitoken")]
    operations = [migrations.RunPython(create_homepage, remove_homepage)]
