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
