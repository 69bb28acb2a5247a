"""Reads of the procedure catalogue: listings with filters, the procedure page's context.

Every function returns bounded querysets or plain dicts; views and templates only render them.
"""

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q

from services.models import (
    AdministrativeTier,
    Agency,
    FieldOfWork,
    OnlineServiceLevel,
    ProcedureAgency,
    ProcedureIndexPage,
    ProcedurePage,
)
from services.text import fold, normalize_text

PAGE_SIZE = 20


def live_procedures(catalogue: ProcedureIndexPage | None = None):
    """Live, public procedure pages, optionally of one catalogue, with list-view relations loaded."""
    qs = ProcedurePage.objects.live().public()
    if catalogue is not None:
        qs = qs.child_of(catalogue)
    return qs.select_related("online_level").prefetch_related(
        "fields_of_work", Prefetch("agency_roles", queryset=ProcedureAgency.objects.select_related("agency"))
    )


def filter_procedures(qs, params) -> tuple:
    """Apply the citizen filters from ``params`` (a QueryDict or dict).

    Keys: ``field`` (field-of-work slug), ``agency`` (agency slug), ``tier`` (tier code),
    ``level`` (classification: full / partial / information), ``online`` ("1": online filing
    possible), ``q`` (text in the name or code). Unknown values simply match nothing.
    Returns ``(queryset, active_filters_dict)``.
    """
    active = {}
    if field := params.get("field"):
        qs = qs.filter(fields_of_work__slug=field)
        active["field"] = field
    if agency := params.get("agency"):
        qs = qs.filter(agency_roles__agency__slug=agency)
        active["agency"] = agency
    if tier := params.get("tier"):
        qs = qs.filter(tiers__code=tier)
        active["tier"] = tier
    if level := params.get("level"):
        qs = qs.filter(online_level__classification=level)
        active["level"] = level
    if params.get("online") == "1":
        qs = qs.filter(online_level__allows_online_filing=True)
        active["online"] = "1"
    if q := normalize_text(params.get("q", ""))[:200]:
        # sort_name is the folded name: "giay phep" and "giấy phép" find the same procedures.
        qs = qs.filter(Q(sort_name__contains=fold(q)) | Q(code__startswith=q) | Q(provincial_code__startswith=q))
        active["q"] = q
    return qs.distinct(), active


def procedure_catalogue(*, catalogue: ProcedureIndexPage, params) -> dict:
    """Context of a catalogue listing: one page of filtered procedures and the filter options."""
    qs, active = filter_procedures(live_procedures(catalogue), params)
    paginator = Paginator(qs.order_by("sort_name", "pk"), PAGE_SIZE)
    page_obj = paginator.get_page(params.get("page"))
    in_catalogue = ProcedurePage.objects.live().child_of(catalogue)
    query = params.copy() if hasattr(params, "copy") else dict(params)
    query.pop("page", None)
    return {
        "procedures": page_obj,
        "paginator": paginator,
        "active_filters": active,
        "filter_query": query.urlencode() if hasattr(query, "urlencode") else "",
        "field_options": FieldOfWork.objects.filter(procedures__in=in_catalogue).distinct().order_by("name"),
        "agency_options": Agency.objects.filter(procedure_roles__page__in=in_catalogue).distinct().order_by("name"),
        "tier_options": AdministrativeTier.objects.all(),
        "level_options": OnlineServiceLevel.Classification.choices,
    }


def procedure_detail_context(page: ProcedurePage) -> dict:
    """Context of a procedure page, in a constant number of queries whatever its size.

    Agencies grouped by role, cases with their channels and components (form documents fetched
    in one query by the StreamField), related procedures in one query.
    """
    roles = list(page.agency_roles.select_related("agency").order_by("sort_order"))
    online_forms = list(page.online_forms.live().order_by("case_title", "title")) if page.allows_online_filing else []
    by_role = {}
    for role in roles:
        by_role.setdefault(role.get_role_display(), []).append(role.agency)
    related = []
    if page.related_codes:
        related = list(
            ProcedurePage.objects.live()
            .public()
            .filter(code__in=page.related_codes)
            .exclude(pk=page.pk)
            .select_related("online_level")
            .order_by("sort_name")
        )
    return {
        "agencies_by_role": by_role,
        "tiers": list(page.tiers.all()),
        "fields": list(page.fields_of_work.all()),
        "subjects": list(page.subjects.all()),
        "related_procedures": related,
        "online_level": page.online_level,
        "online_forms": online_forms,
        # A level that allows online filing is not enough: a published form must exist (C14).
        "can_file_online": page.allows_online_filing and bool(online_forms),
    }


def home_entry_points(*, popular) -> dict:
    """Home page context: chosen popular procedures, fields and agencies with procedure counts."""
    chosen_ids = [block.value.pk for block in popular if block.value]
    if chosen_ids:
        by_id = {p.pk: p for p in live_procedures().filter(pk__in=chosen_ids)}
        chosen = [by_id[pk] for pk in chosen_ids if pk in by_id]
    else:
        chosen = []
    if not chosen:
        chosen = list(live_procedures().filter(online_level__allows_online_filing=True).order_by("sort_name")[:8])
    return {
        "popular": chosen,
        "fields": FieldOfWork.objects.annotate(n=Count("procedures", filter=Q(procedures__live=True)))
        .filter(n__gt=0)
        .order_by("-n", "name")[:24],
        "agencies": Agency.objects.annotate(
            n=Count("procedure_roles__page", filter=Q(procedure_roles__page__live=True), distinct=True)
        )
        .filter(n__gt=0)
        .order_by("-n", "name")[:24],
        "catalogues": ProcedureIndexPage.objects.live().public().order_by("path"),
    }
