"""The JSON search API and its OpenAPI schema, the search page, and the fallback to the database.

The fallback tests need no search server: they point ``ELASTICSEARCH_URL`` at a closed port or
make the Elasticsearch backend fail, and run everywhere.
"""

import time

import pytest
from elasticsearch import ConnectionError as ElasticsearchConnectionError

from search.backends.elastic import ElasticsearchBackend
from tests.search.catalogue import DI_DOI, GIAY_PHEP_XAY_DUNG, LAI_XE
from tests.search.slow_server import SlowServer

pytestmark = pytest.mark.django_db

API = "/api/search/procedures"
CLOSED_PORT = "http://127.0.0.1:9"


# -- JSON API ------------------------------------------------------------------------------------


def test_search_api_answers_with_the_documented_shape(search_catalogue, search_backend, client):
    """API shape: count, page, results with the national base code, facets, backend, degraded."""
    page = search_catalogue["1.000948"]
    response = client.get(API, {"q": "giay phep xay dung"})
    assert response.status_code == 200
    data = response.json()
    assert {"count", "page", "results", "facets", "backend", "degraded"} <= set(data)
    assert data["backend"] == search_backend
    assert data["degraded"] is False
    assert data["page"] == 1
    assert set(data["facets"]) == {"field", "agency", "tier", "level", "subject"}
    first = data["results"][0]
    assert set(first) == {"code", "name", "url", "level", "agency", "field", "highlight"}
    # the record's provincial code is 1.000948.000.00.00.H36: the API gives the national base code
    assert {k: v for k, v in first.items() if k != "highlight"} == {
        "code": "1.000948",
        "name": GIAY_PHEP_XAY_DUNG,
        "url": page.url,
        "level": "Một phần",
        "agency": "Sở Xây dựng",
        "field": "Xây dựng",
    }
    assert "<mark>" in first["highlight"]


def test_search_api_without_a_query_lists_everything(search_catalogue, client):
    """API: no query and no filter lists the whole catalogue (15 procedures), 10 on page 1."""
    data = client.get(API).json()
    assert data["count"] == 15
    assert len(data["results"]) == 10


def test_openapi_schema_documents_both_search_endpoints(db, client):
    """API: /api/openapi.json documents /api/search/procedures and /api/search/suggest with their parameters."""
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    procedures = schema["paths"]["/api/search/procedures"]["get"]
    suggest = schema["paths"]["/api/search/suggest"]["get"]
    assert {p["name"] for p in procedures["parameters"]} == {
        "q",
        "field",
        "agency",
        "tier",
        "level",
        "subject",
        "page",
        "per_page",
    }
    assert {p["name"] for p in suggest["parameters"]} == {"q"}
    hit = schema["components"]["schemas"]["ProcedureHit"]["properties"]
    assert set(hit) == {"code", "name", "url", "level", "agency", "field", "highlight"}
    response_schema = schema["components"]["schemas"]["SearchResponse"]["properties"]
    assert {"count", "page", "results", "facets", "backend", "degraded"} <= set(response_schema)


# -- the search page -----------------------------------------------------------------------------


def test_search_page_shows_results_and_the_facet_form(search_catalogue, client):
    """HTML: /tim-kiem/?q=giấy phép renders 200 with the three procedures and the facet form."""
    response = client.get("/tim-kiem/", {"q": "giấy phép"})
    assert response.status_code == 200
    html = response.content.decode()
    for name in (GIAY_PHEP_XAY_DUNG, DI_DOI, LAI_XE):
        assert name in html
    assert 'name="field" value="xay-dung"' in html
    assert 'Xây dựng <span class="count">(2)</span>' in html
    assert 'Đường bộ <span class="count">(1)</span>' in html


# -- fallback to the database --------------------------------------------------------------------


def test_unreachable_search_server_answers_from_the_database_marked_degraded(database_catalogue, settings, client):
    """Fallback: ELASTICSEARCH_URL at a closed port: the database answers, "degraded": true."""
    settings.ELASTICSEARCH_URL = CLOSED_PORT
    response = client.get(API, {"q": "giấy phép"})
    assert response.status_code == 200
    data = response.json()
    assert (data["backend"], data["degraded"]) == ("database", True)
    assert {hit["name"] for hit in data["results"]} == {GIAY_PHEP_XAY_DUNG, DI_DOI, LAI_XE}

    suggest = client.get("/api/search/suggest", {"q": "giay phep xay"})
    assert suggest.status_code == 200
    assert [s["name"] for s in suggest.json()] == [GIAY_PHEP_XAY_DUNG]

    page = client.get("/tim-kiem/", {"q": "giấy phép"})
    assert page.status_code == 200
    assert "Máy chủ tìm kiếm đang bảo trì" in page.content.decode()


def test_without_a_search_server_the_database_answers_not_degraded(database_catalogue, settings, client):
    """Fallback: ELASTICSEARCH_URL unset: "backend": "database", "degraded": false."""
    settings.ELASTICSEARCH_URL = ""
    data = client.get(API, {"q": "giấy phép"}).json()
    assert (data["backend"], data["degraded"]) == ("database", False)
    assert data["count"] == 3
    assert "Máy chủ tìm kiếm đang bảo trì" not in client.get("/tim-kiem/", {"q": "giấy phép"}).content.decode()


def test_search_server_failing_mid_request_answers_degraded(database_catalogue, settings, client, monkeypatch):
    """Fallback: the server answers the health check but the search itself fails: the database
    answers, marked degraded; suggestions still come."""

    def refuse(self, *args, **kwargs):
        raise ElasticsearchConnectionError("connection refused")

    settings.ELASTICSEARCH_URL = CLOSED_PORT
    monkeypatch.setattr(ElasticsearchBackend, "available", lambda self: True)
    monkeypatch.setattr(ElasticsearchBackend, "search", refuse)
    monkeypatch.setattr(ElasticsearchBackend, "suggest", refuse)

    response = client.get(API, {"q": "giấy phép"})
    assert response.status_code == 200
    data = response.json()
    assert (data["backend"], data["degraded"]) == ("database", True)
    assert data["count"] == 3

    suggest = client.get("/api/search/suggest", {"q": "giay phep xay"})
    assert [s["name"] for s in suggest.json()] == [GIAY_PHEP_XAY_DUNG]


def test_search_server_slower_than_the_query_timeout_answers_from_the_database(database_catalogue, settings, client):
    """Fallback: the server answers its ping but takes 10 s to search; with SEARCH_QUERY_TIMEOUT
    at 0.5 s the citizen gets the database's answer, marked degraded, without waiting for it;
    suggestions too."""
    settings.SEARCH_QUERY_TIMEOUT = 0.5
    with SlowServer(search_delay=10) as server:
        settings.ELASTICSEARCH_URL = server.url
        started = time.monotonic()
        response = client.get(API, {"q": "giấy phép"})
        suggest = client.get("/api/search/suggest", {"q": "giay phep xay"})
        elapsed = time.monotonic() - started
    searches = [path for method, path in server.requests if path.endswith("/_search")]
    assert len(searches) == 2  # the search's first request, then the suggestion's: each gave up
    assert elapsed < 5  # two 0.5 s timeouts and the database, not the server's 10 s
    data = response.json()
    assert (data["backend"], data["degraded"]) == ("database", True)
    assert {hit["name"] for hit in data["results"]} == {GIAY_PHEP_XAY_DUNG, DI_DOI, LAI_XE}
    assert [s["name"] for s in suggest.json()] == [GIAY_PHEP_XAY_DUNG]
