"""Dossiers: online filing, codes, due dates, uploads, receipts and public tracking.

Writes are the functions of ``services.dossiers.services`` (``dossier_submit`` …); reads are in
``services.dossiers.selectors``. Views, the API and management commands call those.
"""
