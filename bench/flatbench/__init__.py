"""Benchmark-only app: a flat procedure table for the django-import-export baseline.

Installed only by ``bench/settings.py``; the portal never sees it.
"""
