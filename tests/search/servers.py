"""Which Elasticsearch-protocol server the suite runs against, for marks that depend on it.

CI runs the search suite on noida-db, a small test server speaking the Elasticsearch protocol.
Where it lacks a feature, the test stays right for real Elasticsearch and is marked with
:func:`backends_xfail_on_noida`, which expects the failure on noida-db only (strict), so the mark
must go as soon as noida-db gains the feature.
"""

import functools
import os

import pytest


@functools.cache
def on_noida() -> bool:
    """True when ``$ELASTICSEARCH_URL`` is a noida-db server (False when unset or unreachable)."""
    url = os.environ.get("ELASTICSEARCH_URL", "")
    if not url:
        return False
    from elasticsearch import Elasticsearch

    try:
        info = Elasticsearch(url, request_timeout=5).info()
    except Exception:
        return False
    return info.get("name") == "noida-db" or info.get("version", {}).get("build_hash") == "noida"


def backends_xfail_on_noida(reason: str):
    """Parametrize ``search_backend`` over both backends, the Elasticsearch run expected to fail on noida-db."""
    return pytest.mark.parametrize(
        "search_backend",
        [
            "database",
            pytest.param("elasticsearch", marks=pytest.mark.xfail(condition=on_noida(), reason=reason, strict=True)),
        ],
        indirect=True,
    )
