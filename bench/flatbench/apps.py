from django.apps import AppConfig


class FlatbenchConfig(AppConfig):
    name = "bench.flatbench"
    label = "flatbench"
    default_auto_field = "django.db.models.BigAutoField"
