"""The JSON API answers wrong parameters in Vietnamese (422), for every router."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path, query, field, message",
    [
        ("/api/statistics/agencies", {"start": "2026-02-30"}, "start", "Ngày không hợp lệ"),
        ("/api/statistics/agencies", {"start": "abc"}, "start", "Ngày không hợp lệ"),
        ("/api/statistics/agencies", {"by": "xyz"}, "by", "Giá trị không nằm trong các giá trị cho phép."),
        ("/api/statistics/services", {"year": "abc"}, "year", "Phải là một số nguyên."),
        ("/api/dossiers/000.00.12.H36-260423-0001", {}, "id_number", "Thiếu tham số bắt buộc."),
    ],
)
def test_wrong_parameters_are_explained_in_vietnamese(client, path, query, field, message):
    response = client.get(path, query)
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == f"Tham số không hợp lệ: {field}."
    assert [e["field"] for e in body["errors"]] == [field]
    assert body["errors"][0]["message"].startswith(message)
