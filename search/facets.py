"""Human labels of facet values (slugs and codes in the index)."""

from services.models import AdministrativeTier, Agency, FieldOfWork, OnlineServiceLevel, Subject
from services.text import slugify_vi

FACET_TITLES = {
    "field": "Lĩnh vực",
    "agency": "Cơ quan thực hiện",
    "tier": "Cấp thực hiện",
    "level": "Mức độ dịch vụ trực tuyến",
    "subject": "Đối tượng thực hiện",
}


def label_facets(facets: dict) -> dict:
    """Add ``label`` to every ``{"value", "count"}`` bucket, with one query per facet kind."""
    values = {name: [b["value"] for b in buckets] for name, buckets in facets.items()}
    labels = {
        "field": dict(FieldOfWork.objects.filter(slug__in=values.get("field", [])).values_list("slug", "name")),
        "agency": dict(Agency.objects.filter(slug__in=values.get("agency", [])).values_list("slug", "name")),
        "tier": dict(AdministrativeTier.objects.filter(code__in=values.get("tier", [])).values_list("code", "name")),
        "level": dict(OnlineServiceLevel.Classification.choices),
        "subject": {},
    }
    if values.get("subject"):
        wanted = set(values["subject"])
        for name in Subject.objects.values_list("name", flat=True):
            key = slugify_vi(name, 80)
            if key in wanted:
                labels["subject"][key] = name
    return {
        name: [{**b, "label": str(labels[name].get(b["value"], b["value"]))} for b in buckets]
        for name, buckets in facets.items()
    }
