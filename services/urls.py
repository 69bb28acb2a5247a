"""Citizen URLs of dossiers that are not Wagtail pages (filing itself is a ProcedurePage route)."""

from django.urls import path

from services.dossiers import views, views_tracking

urlpatterns = [
    path("ho-so/<str:code>/tep/<int:pk>/", views.attachment_download, name="dossier_attachment"),
    path("tra-cuu-ho-so/", views_tracking.dossier_lookup, name="dossier_lookup"),
]
