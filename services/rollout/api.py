"""JSON API of the roll-out plan (django-ninja router mounted at ``/api/rollout/``)."""

from ninja import Router

router = Router(tags=["rollout"])
