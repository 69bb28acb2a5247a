"""Search fixtures: fresh caches for every test, and the hand-made catalogue (``tests.search.catalogue``)
imported and indexed on the backend under test (``search_backend``, in ``tests/conftest.py``)."""

import pytest

from services.models import ProcedurePage
from tests.search.catalogue import RECORDS, index_pages
from tests.services.builders import write_json


@pytest.fixture(autouse=True)
def _fresh_search_caches():
    """Synonyms are cached and the database backend keeps a vocabulary for a minute; a test's
    rolled-back rows must not leak into the next test through them."""
    from django.core.cache import cache

    from search.backends.database import reset_vocabulary
    from search.queries import SYNONYM_CACHE_KEY

    cache.delete(SYNONYM_CACHE_KEY)
    reset_vocabulary()
    yield
    cache.delete(SYNONYM_CACHE_KEY)
    reset_vocabulary()


@pytest.fixture
def search_catalogue(search_backend, catalogue, tmp_path) -> dict[str, ProcedurePage]:
    """The catalogue of ``tests.search.catalogue``, imported and indexed; pages by national code."""
    from services.catalogue.services import catalogue_import

    report = catalogue_import(source_file=write_json(tmp_path / "danh-muc.json", RECORDS), catalogue=catalogue)
    assert report.written, [(r.line, r.message) for r in report.errors]
    pages = {p.code: p for p in ProcedurePage.objects.child_of(catalogue).specific()}
    assert len(pages) == len(RECORDS)
    index_pages(pages.values())
    return pages
