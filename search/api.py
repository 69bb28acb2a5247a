"""JSON search API with its OpenAPI schema (django-ninja): ``/api/search/procedures``, ``/api/search/suggest``.

The schema is served at ``/api/openapi.json`` and browsable at ``/api/docs``.
"""

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from search.facets import label_facets
from search.queries import InvalidSearch, SearchParams, search_procedures, suggest_procedures

#: Mounted at ``/search`` by the project's API (``cms.api``).
router = Router()


class ProcedureHit(Schema):
    code: str
    name: str
    url: str
    level: str
    agency: str
    field: str
    highlight: str


class FacetBucket(Schema):
    value: str
    label: str
    count: int


class SearchResponse(Schema):
    count: int
    page: int
    num_pages: int
    results: list[ProcedureHit]
    facets: dict[str, list[FacetBucket]]
    backend: str
    degraded: bool
    message: str


class Suggestion(Schema):
    code: str
    name: str
    url: str


class SearchFilters(Schema):
    q: str = ""
    field: str = ""
    agency: str = ""
    tier: str = ""
    level: str = ""
    subject: str = ""
    page: str = "1"
    per_page: str = "10"


@router.get("/procedures", response=SearchResponse, tags=["search"], summary="Tìm thủ tục hành chính")
def search_procedures_endpoint(request: HttpRequest, filters: Query[SearchFilters]):
    """Results by relevance (code first, then name, then body), facet counts, highlights.

    ``level`` is ``full``/``partial``/``information``; ``field`` and ``agency`` take the slugs
    given in ``facets``. A page past the last one returns the last page with a ``message``;
    a page that is not a positive whole number is a 400.
    """
    try:
        params = SearchParams.from_querydict(filters.dict())
    except InvalidSearch as exc:
        raise HttpError(400, str(exc)) from exc
    result = search_procedures(params).as_dict()
    result["facets"] = label_facets(result["facets"])
    return result


@router.get("/suggest", response=list[Suggestion], tags=["search"], summary="Gợi ý khi gõ")
def suggest_endpoint(request: HttpRequest, q: str = ""):
    """Up to 8 procedures whose name words start with what was typed (from 2 characters)."""
    return suggest_procedures(q, limit=8)
