"""Citizen URLs of dossiers that are not Wagtail pages (filing itself is a ProcedurePage route)."""

from django.urls import path

from services.dossiers import views

urlpatterns = [
    path("ho-so/<str:code>/tep/<int:pk>/", views.attachment_download, name="dossier_attachment"),
]
