"""Dossier tracking API ``GET /api/dossiers/{code}?id_number=...`` (issue 4 item 6).

The dossier is the one of ``test_tracking``: filed Monday 2/3/2026 09:00 (Vietnamese time) at
agency ``000.00.12.H36``, code ``000.00.12.H36-260302-0001``, due 15 working days later on
Monday 23/3/2026, still in progress (so late on any day after that).
"""

from datetime import datetime
from types import SimpleNamespace

import pytest
from django.core.cache import cache

from tests.services.test_tracking import CODE, ID_NUMBER, VN, file_dossier

pytestmark = pytest.mark.django_db

URL = f"/api/dossiers/{CODE}"
NOT_FOUND = {
    "detail": "Không tìm thấy hồ sơ với mã và số giấy tờ đã nhập. Vui lòng kiểm tra lại mã hồ sơ in trên "
    "giấy tiếp nhận và số giấy tờ tùy thân đã khai khi nộp hồ sơ."
}


@pytest.fixture(autouse=True)
def clear_rate_limits():
    """Rate-limit counts live in the (local-memory) cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def fixed_rate_window(monkeypatch):
    """Stops django-ratelimit's clock, so a test never straddles the end of a one-minute window."""
    import django_ratelimit.core

    monkeypatch.setattr(django_ratelimit.core, "time", SimpleNamespace(time=lambda: 1_900_000_000))


def test_found_dossier_has_the_documented_shape(client, catalogue):
    file_dossier(catalogue)
    response = client.get("/api/dossiers/000.00.12.h36-260302-0001", {"id_number": "068.090.001 234"})
    assert response.status_code == 200
    assert response.json() == {
        "code": "000.00.12.H36-260302-0001",
        "procedure": {"code": "1.009994", "name": "Cấp giấy phép xây dựng nhà ở riêng lẻ"},
        "status": {"code": 1, "name": "Đã nộp, chờ tiếp nhận"},
        "submitted_at": "2026-03-02T09:00:00+07:00",
        "due_date": "2026-03-23",
        "timeliness": "late",
        "history": [
            {
                "at": "2026-03-02T09:00:00+07:00",
                "status_code": 1,
                "status": "Đã nộp, chờ tiếp nhận",
                "note": "Nộp hồ sơ trực tuyến trên Cổng Dịch vụ công.",
            }
        ],
        "receiving_agency": "Sở Xây dựng tỉnh Lâm Đồng",
    }
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives


def test_finished_dossier_timeliness(client, catalogue):
    dossier = file_dossier(catalogue)
    dossier.finished_at = datetime(2026, 3, 23, 16, 0, tzinfo=VN)  # on the due date
    dossier.save()
    assert client.get(URL, {"id_number": ID_NUMBER}).json()["timeliness"] == "on_time"


def test_unknown_code_and_wrong_id_number_get_the_same_404(client, catalogue):
    file_dossier(catalogue)
    wrong_id = client.get(URL, {"id_number": "068090009999"})
    unknown_code = client.get("/api/dossiers/000.00.12.H36-260302-0002", {"id_number": ID_NUMBER})
    assert (wrong_id.status_code, wrong_id.content) == (404, unknown_code.content)
    assert unknown_code.status_code == 404
    assert wrong_id.json() == NOT_FOUND
    assert "no-store" in wrong_id["Cache-Control"]


def test_missing_id_number_is_refused_without_looking_up(client, catalogue):
    file_dossier(catalogue)
    assert client.get(URL).status_code == 422


def test_eleventh_lookup_in_a_minute_is_refused_for_that_client_only(client, catalogue, fixed_rate_window):
    file_dossier(catalogue)
    statuses = [client.get(URL, {"id_number": ID_NUMBER if i % 2 else "1"}).status_code for i in range(10)]
    assert statuses == [404, 200] * 5

    refused = client.get(URL, {"id_number": ID_NUMBER})
    assert refused.status_code == 429
    assert refused.json() == {
        "detail": "Bạn đã tra cứu quá nhiều lần trong thời gian ngắn. Vui lòng thử lại sau ít phút."
    }
    assert int(refused["Retry-After"]) >= 1
    assert client.get(URL, {"id_number": ID_NUMBER}, REMOTE_ADDR="192.0.2.7").status_code == 200


def test_page_and_api_share_one_budget(client, catalogue, fixed_rate_window):
    file_dossier(catalogue)
    for _i in range(5):
        client.post("/tra-cuu-ho-so/", {"code": CODE, "id_number": ID_NUMBER})
        client.get(URL, {"id_number": ID_NUMBER})
    assert client.get(URL, {"id_number": ID_NUMBER}).status_code == 429
    assert client.post("/tra-cuu-ho-so/", {"code": CODE, "id_number": ID_NUMBER}).status_code == 429


def test_openapi_schema_documents_tracking_with_the_search_endpoints(db, client):
    schema = client.get("/api/openapi.json").json()
    assert {"/api/search/procedures", "/api/search/suggest", "/api/dossiers/{code}"} <= set(schema["paths"])
    operation = schema["paths"]["/api/dossiers/{code}"]["get"]
    assert {(p["name"], p["in"], p["required"]) for p in operation["parameters"]} == {
        ("code", "path", True),
        ("id_number", "query", True),
    }
    assert set(operation["responses"]) == {"200", "404", "429"}
    dossier = schema["components"]["schemas"]["DossierOut"]["properties"]
    assert set(dossier) == {
        "code",
        "procedure",
        "status",
        "submitted_at",
        "due_date",
        "timeliness",
        "history",
        "receiving_agency",
    }
    assert client.get("/api/docs").status_code == 200
