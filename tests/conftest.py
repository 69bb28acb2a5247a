"""Shared fixtures: the catalogue root, a reference cache, and paths to the real catalogues.

Tests that need a server follow STYLE.md: skipped locally when it is absent, failing in CI
(``CI=true``). Tests that read ../shared/data skip when the folder is absent outside CI.
"""

import os
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
