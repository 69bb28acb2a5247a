"""Procedure catalogue (thủ tục hành chính), its reference data, and the catalogue importer.

Import direction: ``services`` may import ``home`` (page parents) but never ``search`` or
``evaluation``; those read ``services`` and listen to its signals.
"""
