"""Citizen URLs of dossiers that are not Wagtail pages (filing itself is a ProcedurePage route)."""

from django.urls import path

from services.dossiers import views, views_receipt, views_tracking
from services.dossiers.views_statistics import statistics_page, statistics_services_page

urlpatterns = [
    path("ho-so/<str:code>/tep/<int:pk>/", views.attachment_download, name="dossier_attachment"),
    path("ho-so/<str:code>/bien-nhan/", views_receipt.dossier_receipt, name="dossier_receipt"),
    path("ho-so/<str:code>/bien-nhan.pdf", views_receipt.dossier_receipt_pdf, name="dossier_receipt_pdf"),
    path("tra-cuu-ho-so/", views_tracking.dossier_lookup, name="dossier_lookup"),
    path("thong-ke/", statistics_page, name="statistics"),
    path("thong-ke/dich-vu-truc-tuyen/", statistics_services_page, name="statistics_services"),
]
