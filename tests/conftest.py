"""Shared fixtures: the catalogue root, the search backend under test, and paths to the real catalogues.

Tests that need a server follow STYLE.md: skipped locally when it is absent, failing in CI
(``CI=true``). Tests that read ../shared/data skip when the folder is absent outside CI.
"""

import itertools
import os
import uuid
from pathlib import Path

import pytest
from django.conf import settings

IN_CI = os.environ.get("CI", "").lower() == "true"


def require(condition: bool, reason: str):
    """Skip locally, fail in CI, when a required resource is missing."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture
def shared_data() -> Path:
    path = Path(settings.SHARED_DATA_DIR)
    require(path.exists(), f"shared data folder {path} is absent")
    return path


@pytest.fixture
def catalogue(db):
    from services.catalogue.services import catalogue_get_or_create

    return catalogue_get_or_create(scope="provincial")


@pytest.fixture(scope="session")
def shared_data_dir() -> Path:
    """``shared_data`` for module-scoped set-ups (the real catalogues are imported once per module)."""
    path = Path(settings.SHARED_DATA_DIR)
    require(path.exists(), f"shared data folder {path} is absent")
    return path


@pytest.fixture
def national_catalogue(db):
    from services.catalogue.services import catalogue_get_or_create

    return catalogue_get_or_create(scope="national")


@pytest.fixture
def fresh_catalogue(db, catalogue):
    """A second, empty provincial catalogue under the home page (another slug), for round trips."""
    from services.catalogue.services import catalogue_get_or_create

    return catalogue_get_or_create(slug="danh-muc-nhap-lai", scope="provincial")


# -- search ----------------------------------------------------------------------------------

#: One prefix per test run, so that test indexes never meet another run's or the site's.
_SEARCH_RUN = f"test-{uuid.uuid4().hex[:10]}"
_search_test_counter = itertools.count(1)


def _drop_indexes(client, prefix: str) -> None:
    """Delete every index named ``<prefix>-*`` (by name: Elasticsearch 8 refuses wildcard deletes)."""
    names = list(client.indices.get(index=f"{prefix}-*", allow_no_indices=True, expand_wildcards="all"))
    for name in names:
        client.indices.delete(index=name, ignore_unavailable=True)


@pytest.fixture(params=["database", "elasticsearch"])
def search_backend(request, settings):
    """The citizen search backend under test: ``"database"`` or ``"elasticsearch"``.

    ``elasticsearch`` uses the server at ``$ELASTICSEARCH_URL`` (skipped locally when it is unset
    or unreachable, failing in CI) with an index prefix of its own for this test; the test's
    indexes are deleted afterwards. ``database`` makes sure no search server is configured.
    """
    if request.param == "database":
        settings.ELASTICSEARCH_URL = ""
        yield "database"
        return
    from elasticsearch import Elasticsearch

    url = os.environ.get("ELASTICSEARCH_URL", "")
    require(bool(url), "ELASTICSEARCH_URL is not set: no Elasticsearch-protocol server for the search tests")
    client = Elasticsearch(url, request_timeout=10)
    try:
        reachable = bool(client.ping())
    except Exception:
        reachable = False
    require(reachable, f"the Elasticsearch-protocol server at {url} does not answer")
    prefix = f"{_SEARCH_RUN}-{next(_search_test_counter)}"
    settings.ELASTICSEARCH_URL = url
    settings.SEARCH_INDEX_PREFIX = prefix
    try:
        yield "elasticsearch"
    finally:
        _drop_indexes(client, prefix)
        client.close()
