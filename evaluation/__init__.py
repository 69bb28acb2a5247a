"""Online evaluation of service quality (đánh giá): survey templates, ratings, scoring, publication.

Import direction: ``evaluation`` reads ``services`` (procedures, agencies, dossiers); nothing
imports ``evaluation``. Built out by the evaluation issue; empty of models until then.
"""
