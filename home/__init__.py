"""Home page, guidance pages (hướng dẫn, hỏi đáp) and site-wide settings.

Import direction: ``home`` may read ``services`` models for listings (popular procedures,
entry by field and agency); ``services`` only names ``home.HomePage`` as a parent type.
"""
