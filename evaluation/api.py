"""JSON API of published evaluation results (django-ninja router mounted at ``/api/evaluation/``)."""

from ninja import Router

router = Router(tags=["evaluation"])
