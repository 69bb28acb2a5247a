"""The citizen search page ``/tim-kiem/``."""

from django.template.response import TemplateResponse

from search.analysis import normalize_query
from search.facets import FACET_TITLES, label_facets
from search.queries import InvalidSearch, SearchParams, search_procedures, suggest_procedures


def search_page(request):
    # The citizen's words stay in the box even when the request is refused (a bad page number).
    context = {"query": normalize_query(request.GET.get("q")), "facet_titles": FACET_TITLES}
    status = 200
    try:
        params = SearchParams.from_querydict(request.GET)
    except InvalidSearch as exc:
        context["error"] = str(exc)
        first_page = request.GET.copy()
        for name in ("page", "per_page"):
            first_page.pop(name, None)
        context["first_page_query"] = first_page.urlencode()
        return TemplateResponse(request, "search/search.html", context, status=400)
    context["active_filters"] = params.filters
    if params.q or params.filters:
        result = search_procedures(params)
        context["result"] = result
        context["facets"] = label_facets(result.facets)
        if result.count == 0 and params.q:
            context["suggestions"] = suggest_procedures(params.q)
        base = request.GET.copy()
        base.pop("page", None)
        context["page_query"] = base.urlencode()
        context["start_index"] = (result.page - 1) * params.per_page + 1
        context["page_range"] = range(max(1, result.page - 3), min(result.num_pages, result.page + 3) + 1)
    return TemplateResponse(request, "search/search.html", context, status=status)
