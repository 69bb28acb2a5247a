"""The portal's JSON API (django-ninja), mounted at ``/api/`` with its OpenAPI schema.

Each app contributes a router; this module only assembles them, so the apps never import each
other through the API:

- ``/api/search/procedures``, ``/api/search/suggest``: citizen search (``search.api``);
- ``/api/dossiers/{code}``: public dossier tracking (``services.dossiers.api``);
- ``/api/statistics/agencies``, ``/api/statistics/services``: public statistics of dossiers
  (``services.dossiers.views_statistics``);
- ``/api/evaluation/...``: published evaluation results (``evaluation.api``);
- ``/api/rollout/...``: the online-service roll-out plan and its progress (``services.rollout.api``).

The schema is served at ``/api/openapi.json`` and browsable at ``/api/docs``. The Wagtail
content API (v2) lives apart, at ``/api/v2/`` (``services.api``).
"""

from ninja import NinjaAPI
from ninja.errors import ValidationError

from evaluation.api import router as evaluation_router
from search.api import router as search_router
from services.dossiers.api import router as dossier_router
from services.dossiers.views_statistics import router as statistics_router
from services.rollout.api import router as rollout_router

api = NinjaAPI(
    title="Cổng Dịch vụ công — API tìm kiếm",
    version="1",
    description=(
        "Tìm thủ tục hành chính (có dấu hoặc không dấu, mã thủ tục, từ thông dụng) và gợi ý khi gõ; "
        "tra cứu tình trạng hồ sơ bằng mã hồ sơ và số giấy tờ tùy thân của người nộp; "
        "thống kê tình hình giải quyết hồ sơ theo cơ quan, thủ tục và kỳ."
    ),
    urls_namespace="portal-api",
    docs_url="/docs",
)
api.add_router("/search", search_router)
api.add_router("/dossiers", dossier_router)
api.add_router("/statistics", statistics_router)
api.add_router("/evaluation", evaluation_router)
api.add_router("/rollout", rollout_router)


# Citizens and their tools get Vietnamese errors (the brief: bad input gets a clear error, in
# Vietnamese); pydantic's English messages stay available in ``errors[].type`` for developers.
_ERROR_TEXT = {
    "missing": "Thiếu tham số bắt buộc.",
    "int_parsing": "Phải là một số nguyên.",
    "int_type": "Phải là một số nguyên.",
    "date_parsing": "Ngày không hợp lệ; viết theo dạng năm-tháng-ngày (2026-11-30).",
    "date_from_datetime_parsing": "Ngày không hợp lệ; viết theo dạng năm-tháng-ngày (2026-11-30).",
    "date_type": "Ngày không hợp lệ; viết theo dạng năm-tháng-ngày (2026-11-30).",
    "literal_error": "Giá trị không nằm trong các giá trị cho phép.",
    "enum": "Giá trị không nằm trong các giá trị cho phép.",
    "string_too_long": "Chuỗi quá dài.",
    "greater_than_equal": "Giá trị quá nhỏ.",
    "less_than_equal": "Giá trị quá lớn.",
}


@api.exception_handler(ValidationError)
def validation_error_in_vietnamese(request, error: ValidationError):
    """422 with ``detail`` and one Vietnamese ``message`` per wrong parameter (``field``)."""
    errors = []
    for item in error.errors:
        location = [str(part) for part in item.get("loc", ()) if part not in ("query", "path", "body")]
        errors.append(
            {
                "field": ".".join(location),
                "message": _ERROR_TEXT.get(item.get("type", ""), "Giá trị không hợp lệ."),
                "type": item.get("type", ""),
            }
        )
    fields = ", ".join(e["field"] for e in errors if e["field"])
    detail = f"Tham số không hợp lệ: {fields}." if fields else "Tham số không hợp lệ."
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)
