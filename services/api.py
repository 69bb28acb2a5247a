"""Headless API (Wagtail API v2) with catalogue filters by code, field of work, agency and level.

``/api/v2/pages/?type=services.ProcedurePage&code=1.001193&fields=*`` returns the procedure with
that national base code; ``field`` (field-of-work slug or code), ``agency`` (agency slug or
QCVN identifier), ``level`` (classification or label) and ``tier`` filter the same way.
"""

from django.db.models import Q
from rest_framework.filters import BaseFilterBackend
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from services.models import ProcedurePage
from services.text import fold


class ProcedureFilter(BaseFilterBackend):
    """Filters of procedure pages that are not plain model fields."""

    def filter_queryset(self, request, queryset, view):
        params = request.GET
        if not issubclass(queryset.model, ProcedurePage):
            return queryset
        if value := params.get("field"):
            queryset = queryset.filter(Q(fields_of_work__slug=value) | Q(fields_of_work__code__iexact=value))
        if value := params.get("agency"):
            queryset = queryset.filter(Q(agency_roles__agency__slug=value) | Q(agency_roles__agency__identifier=value))
        if value := params.get("level"):
            queryset = queryset.filter(Q(online_level__classification=value) | Q(online_level__lookup_key=fold(value)))
        if value := params.get("tier"):
            queryset = queryset.filter(tiers__code=value)
        return queryset.distinct()


class CataloguePagesAPIViewSet(PagesAPIViewSet):
    filter_backends = [ProcedureFilter, *PagesAPIViewSet.filter_backends]
    known_query_parameters = PagesAPIViewSet.known_query_parameters.union({"field", "agency", "level", "tier"})


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", CataloguePagesAPIViewSet)
api_router.register_endpoint("images", ImagesAPIViewSet)
api_router.register_endpoint("documents", DocumentsAPIViewSet)
