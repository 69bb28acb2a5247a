"""Keeping both indexes in step with the catalogue: drafts (C14), publish, unpublish, delete, move,
import, and ``search_index rebuild`` (alias swap, clean-up after a failure, write timeouts).

Changes go through the real signals (page_published, page_unpublished, post_page_move,
post_delete, catalogue_imported) to ``search.tasks.enqueue_sync``, which runs after commit:
``django_capture_on_commit_callbacks(execute=True)`` stands for the commit.
"""

import io

import pytest
from django.core.management import call_command
from django.db import DatabaseError
from elasticsearch import ConnectionTimeout as ElasticsearchConnectionTimeout

from search.backends import elasticsearch_backend
from search.backends.elastic import BULK_TIMEOUT, ElasticsearchBackend
from search.indexing import indexable_pages, prepare
from search.models import ProcedureSearchEntry
from search.queries import SearchParams, suggest_procedures
from services.catalogue.services import catalogue_import
from tests.factories import ProcedurePageFactory
from tests.search.catalogue import DAK_LAK, GIAY_PHEP_XAY_DUNG, index_pages, names, search
from tests.search.slow_server import SlowServer
from tests.services.builders import native_record, write_json

pytestmark = pytest.mark.django_db

DRAFT_TITLE = "Cấp phép khai thác cát sỏi lòng sông"


@pytest.fixture
def draft(search_catalogue, catalogue):
    """A procedure page saved as a draft only, never published."""
    page = ProcedurePageFactory(parent=catalogue, title=DRAFT_TITLE, slug="khai-thac-cat", code="1.009001", live=False)
    page.save_revision()
    return page


# -- C14 drafts ----------------------------------------------------------------------------------


def test_draft_only_page_is_never_in_results(draft, client, django_capture_on_commit_callbacks):
    """C14: a page saved as draft only is not in search, suggestions or the API, even after a sync."""
    with django_capture_on_commit_callbacks(execute=True):
        draft.save_revision()
    index_pages([draft])
    assert not ProcedureSearchEntry.objects.filter(page=draft).exists()
    assert names("khai thác cát") == []
    assert names("1.009001") == []
    assert suggest_procedures("khai thac") == []
    assert client.get("/api/search/procedures", {"q": "khai thác cát"}).json()["count"] == 0


def test_publishing_a_draft_adds_it(draft, django_capture_on_commit_callbacks):
    """C14: publishing the draft (page_published) makes it findable after commit."""
    with django_capture_on_commit_callbacks(execute=True):
        draft.get_latest_revision().publish()
    assert names("khai thac cat") == [DRAFT_TITLE]
    assert search("khai thac cat").results[0]["url"] == "/thu-tuc-hanh-chinh/khai-thac-cat/"


def test_live_page_keeps_serving_its_published_version_while_a_newer_draft_exists(
    search_catalogue, django_capture_on_commit_callbacks
):
    """C14: a newer draft of a live page changes nothing in search until it is published."""
    page = search_catalogue["1.000948"]
    page.title = "Tên nháp chưa duyệt"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision()
    index_pages([page])
    assert search("1.000948").results[0]["name"] == GIAY_PHEP_XAY_DUNG
    assert names("giấy phép xây dựng")[0] == GIAY_PHEP_XAY_DUNG
    assert "Tên nháp chưa duyệt" not in names("Tên nháp chưa duyệt")


def test_unpublishing_removes_the_page(search_catalogue, client, django_capture_on_commit_callbacks):
    """C14: unpublishing (page_unpublished) removes the page from search after commit."""
    assert names("dak lak") == [DAK_LAK]
    with django_capture_on_commit_callbacks(execute=True):
        search_catalogue["1.000600"].unpublish()
    assert names("dak lak") == []
    assert client.get("/api/search/procedures", {"q": "dak lak"}).json()["count"] == 0


def test_republishing_brings_the_page_back(search_catalogue, django_capture_on_commit_callbacks):
    """C14: unpublish then publish again: the page is found again."""
    page = search_catalogue["1.000600"]
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    with django_capture_on_commit_callbacks(execute=True):
        page.get_latest_revision().publish()
    assert names("dak lak") == [DAK_LAK]


# -- delete, move, import ------------------------------------------------------------------------


def test_deleting_a_page_removes_it(search_catalogue, django_capture_on_commit_callbacks):
    """Deleting a procedure page removes it from search after commit."""
    with django_capture_on_commit_callbacks(execute=True):
        search_catalogue["1.000600"].delete()
    assert names("dak lak") == []
    assert names("1.000600") == []


def test_deleting_the_catalogue_removes_its_procedures(search_catalogue, catalogue, django_capture_on_commit_callbacks):
    """Deleting a catalogue page removes every procedure under it from search after commit."""
    with django_capture_on_commit_callbacks(execute=True):
        catalogue.delete()
    assert names("cấp") == []
    assert names("dak lak") == []


def test_moved_page_is_found_at_its_new_url(search_catalogue, fresh_catalogue, django_capture_on_commit_callbacks):
    """Moving a procedure (post_page_move) keeps it findable, with the URL under its new catalogue."""
    page = search_catalogue["1.000600"]
    assert search("dak lak").results[0]["url"] == "/thu-tuc-hanh-chinh/dak-lak-cap-phep/"
    with django_capture_on_commit_callbacks(execute=True):
        page.move(fresh_catalogue, pos="last-child")
    result = search("dak lak")
    assert [hit["name"] for hit in result.results] == [DAK_LAK]
    assert result.results[0]["url"] == "/danh-muc-nhap-lai/dak-lak-cap-phep/"


def test_imported_procedures_are_indexed_after_commit(
    search_catalogue, catalogue, tmp_path, django_capture_on_commit_callbacks
):
    """An import (catalogue_imported) indexes the new pages in bulk after commit."""
    path = write_json(tmp_path / "moi.json", [native_record("1.009100", "Cấp phép khai thác nước dưới đất")])
    with django_capture_on_commit_callbacks(execute=True):
        report = catalogue_import(source_file=path, catalogue=catalogue)
    assert report.written
    assert names("khai thac nuoc") == ["Cấp phép khai thác nước dưới đất"]


# -- rebuild -------------------------------------------------------------------------------------


def test_rebuild_indexes_live_pages_only(search_catalogue, draft):
    """``search_index rebuild`` indexes the 15 live procedures, not the draft, on either backend."""
    ProcedureSearchEntry.objects.all().delete()
    call_command("search_index", "rebuild", stdout=io.StringIO())
    assert ProcedureSearchEntry.objects.count() == 15
    assert search().count == 15
    assert names("khai thác cát") == []
    assert names("dak lak") == [DAK_LAK]


@pytest.mark.parametrize("search_backend", ["elasticsearch"], indirect=True)
def test_rebuild_swaps_the_alias_to_a_new_index_and_drops_the_old(search_catalogue):
    """Rebuild: the alias points at exactly one index, a new one after each rebuild; the old is gone."""
    es = elasticsearch_backend()
    before = set(es.client.indices.get_alias(name=es.alias))
    call_command("search_index", "rebuild", stdout=io.StringIO())
    first = set(es.client.indices.get_alias(name=es.alias))
    call_command("search_index", "rebuild", stdout=io.StringIO())
    second = set(es.client.indices.get_alias(name=es.alias))
    assert len(before) == len(first) == len(second) == 1
    assert first != before and second != first
    assert not any(es.client.indices.exists(index=name) for name in before | first)
    assert names("dak lak") == [DAK_LAK]


@pytest.mark.parametrize("search_backend", ["elasticsearch"], indirect=True)
def test_a_rebuild_failing_midway_leaves_the_alias_on_the_old_index_and_no_new_index(
    search_catalogue, settings, monkeypatch
):
    """Rebuild: the pages stop coming after two bulk requests of 5 documents (a database error
    while reading them): the error reaches the caller, the alias still points at the old index,
    the new index is deleted (no orphan), and search still answers from the old index."""
    es = elasticsearch_backend()
    monkeypatch.setattr("search.backends.elastic.BULK_CHUNK", 5)
    alias_before = set(es.client.indices.get_alias(name=es.alias))
    indexes_before = set(es.client.indices.get(index=f"{settings.SEARCH_INDEX_PREFIX}-*"))

    def twelve_pages_then_an_error():
        yield from (prepare(page) for page in list(indexable_pages())[:12])
        raise DatabaseError("connection lost while reading the pages")

    with pytest.raises(DatabaseError):
        es.rebuild(twelve_pages_then_an_error())
    assert set(es.client.indices.get_alias(name=es.alias)) == alias_before
    assert set(es.client.indices.get(index=f"{settings.SEARCH_INDEX_PREFIX}-*")) == indexes_before
    assert search().count == 15
    assert names("dak lak") == [DAK_LAK]


# -- timeouts (a stand-in server: runs everywhere) -----------------------------------------------


def _documents(n: int) -> list[dict]:
    return [{"id": i, "code": f"1.00{i:04d}", "name": f"Thủ tục số {i}"} for i in range(1, n + 1)]


def test_rebuild_waits_for_slow_bulk_requests_that_a_citizen_query_would_not(settings):
    """Rebuild: on a server that takes 1 s per request, with the citizen query timeout at 0.3 s,
    the rebuild still indexes its 3 documents (bulk requests wait up to BULK_TIMEOUT, 60 s), while
    a search through the same backend gives up (and would be answered by the database)."""
    settings.SEARCH_QUERY_TIMEOUT = 0.3
    with SlowServer(search_delay=1, bulk_delay=1) as server:
        backend = ElasticsearchBackend(server.url)
        index, count = backend.rebuild(iter(_documents(3)))
        with pytest.raises(ElasticsearchConnectionTimeout):
            backend.search(SearchParams(q="thủ tục"))
    assert BULK_TIMEOUT == 60
    assert (count, server.bulk_documents) == (3, 3)
    assert ("POST", "/_aliases") in server.requests
    assert ("DELETE", f"/{index}") not in server.requests


def test_a_failed_rebuild_deletes_its_new_index_on_any_server(settings):
    """Rebuild: when the documents stop coming midway, the index it created is deleted and the
    alias is never touched (no ``/_aliases`` request)."""
    settings.SEARCH_INDEX_PREFIX = "stand-in"

    def two_documents_then_an_error():
        yield from _documents(2)
        raise DatabaseError("connection lost while reading the pages")

    with SlowServer() as server:
        backend = ElasticsearchBackend(server.url)
        with pytest.raises(DatabaseError):
            backend.rebuild(two_documents_then_an_error())
    created = [path for method, path in server.requests if method == "PUT"]
    assert len(created) == 1 and created[0].startswith("/stand-in-procedures-")
    assert ("DELETE", created[0]) in server.requests
    assert not any(path.startswith("/_aliases") for _, path in server.requests)


# -- database entries ----------------------------------------------------------------------------


def test_database_entry_lists_each_word_of_its_text_once(database_catalogue):
    """The fallback entry of "Cấp giấy phép xây dựng" keeps its folded text ("xây" three times:
    name, field "Xây dựng", agency "Sở Xây dựng") and its distinct words once each, sorted,
    space-padded; migration 0004 fills the same value for an entry written before the column
    existed."""
    import importlib

    from django.apps import apps

    entry = ProcedureSearchEntry.objects.get(code="1.000948")
    text = entry.text_folded.split()
    assert text[:5] == ["cap", "giay", "phep", "xay", "dung"]
    assert (text.count("xay"), entry.words_folded.count(" xay ")) == (3, 1)
    assert entry.words_folded == " " + " ".join(sorted(set(text))) + " "
    expected = {e.pk: e.words_folded for e in ProcedureSearchEntry.objects.all()}
    ProcedureSearchEntry.objects.update(words_folded="")
    importlib.import_module("search.migrations.0004_proceduresearchentry_words_folded").fill(apps, None)
    assert {e.pk: e.words_folded for e in ProcedureSearchEntry.objects.all()} == expected
