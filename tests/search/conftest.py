"""Search fixtures: fresh caches for every test, and the hand-made catalogue (``tests.search.catalogue``)
imported and indexed on the backend under test (``search_backend``, in ``tests/conftest.py``)."""

import pytest

from services.models import ProcedurePage
from tests.search.catalogue import build_catalogue


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
    """The catalogue of ``tests.search.catalogue``, imported and indexed on ``search_backend``; pages by code."""
    return build_catalogue(catalogue, tmp_path)


@pytest.fixture
def database_catalogue(settings, catalogue, tmp_path) -> dict[str, ProcedurePage]:
    """The same catalogue indexed in the database only (no search server configured)."""
    settings.ELASTICSEARCH_URL = ""
    return build_catalogue(catalogue, tmp_path)
