"""Citizen search over the procedure catalogue (Elasticsearch, with a database fallback).

Import direction: ``search`` reads ``services`` models and listens to page signals; ``services``
never imports ``search``. Built out by the search issue.
"""
