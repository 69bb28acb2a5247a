"""Citizen evaluation and published results, mounted at ``/danh-gia/``.

Citizen pages (``views``): the entry form, one dossier's survey, anonymous feedback. Published
results are under ``ket-qua/``.
"""

from django.urls import path

from evaluation import views, views_results

app_name = "evaluation"

urlpatterns = [
    path("", views.evaluation_start, name="start"),
    path("ho-so/<str:code>/", views.evaluation_dossier, name="dossier"),
    path("gop-y/", views.feedback, name="feedback"),
    path("ket-qua/", views_results.results_overall, name="results"),
    path("ket-qua/co-quan/<slug:slug>/", views_results.results_agency, name="results_agency"),
    path("ket-qua/thu-tuc/", views_results.results_procedures, name="results_procedures"),
    path("ket-qua/tai-ve/<str:table>.<str:fmt>", views_results.results_export, name="results_export"),
]
