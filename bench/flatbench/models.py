"""One row per procedure, one text column per Lâm Đồng detail column: the baseline's target."""

from django.db import models


class FlatProcedure(models.Model):
    code = models.CharField(max_length=64, unique=True)
    name = models.TextField()
    field = models.TextField(blank=True)
    agency = models.TextField(blank=True)
    level = models.TextField(blank=True)
    link = models.TextField(blank=True)
    steps = models.TextField(blank=True)
    channels = models.TextField(blank=True)
    components = models.TextField(blank=True)
    time_limit = models.TextField(blank=True)
    subjects = models.TextField(blank=True)
    implementing_agency = models.TextField(blank=True)
    results = models.TextField(blank=True)
    fees = models.TextField(blank=True)
    forms = models.TextField(blank=True)
    conditions = models.TextField(blank=True)
    legal_bases = models.TextField(blank=True)

    def __str__(self):
        return self.code
