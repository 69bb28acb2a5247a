"""The citizen search page ``/tim-kiem/``."""

from django.template.response import TemplateResponse

from search.facets import FACET_TITLES, label_facets
from search.queries import InvalidSearch, SearchParams, search_procedures, suggest_procedures


def search_page(request):
    context = {"query": "", "facet_titles": FACET_TITLES}
    status = 200
    try:
        params = SearchParams.from_querydict(request.GET)
    except InvalidSearch as exc:
        context["error"] = str(exc)
        return TemplateResponse(request, "search/search.html", context, status=400)
    context["query"] = params.q
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
