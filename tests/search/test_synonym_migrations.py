"""The synonym seed: a database migrated from scratch holds every entry, and 0003 brings the
entries added to 0002 after it was deployed to a database that applied the first 0002, without
undoing an editor's work."""

import importlib

import pytest
from django.apps import apps

from search.models import SearchSynonym
from services.text import fold

pytestmark = pytest.mark.django_db

first_seed = importlib.import_module("search.migrations.0002_seed_synonyms")
more = importlib.import_module("search.migrations.0003_more_synonyms")


def phrases(term_key: str) -> list[str]:
    return SearchSynonym.objects.get(term_key=term_key).expansion_list


def test_a_migrated_database_holds_every_seeded_synonym():
    """68 entries of the first seed, 17 added to it later and 23 new ones: 108, with the revised
    phrases and the new entries active."""
    assert SearchSynonym.objects.count() == 108
    assert phrases("xay nha") == ["giấy phép xây dựng", "nhà ở riêng lẻ"]
    assert phrases("mo quan") == ["đăng ký thành lập hộ kinh doanh", "đăng ký hộ kinh doanh"]
    assert phrases("cty") == ["công ty"]
    assert phrases("liet si") == ["liệt sĩ", "người có công"]
    assert phrases("liet sy") == ["liệt sĩ"]
    new = SearchSynonym.objects.get(term_key="bia do")
    assert (new.term, new.active) == ("bìa đỏ", True)
    assert new.expansion_list == ["giấy chứng nhận quyền sử dụng đất", "đăng ký đất đai"]


def test_0003_brings_later_entries_to_a_database_seeded_by_the_first_0002():
    """Upgrade: a database as the first 0002 left it, then edited by an editor ("mở quán" given
    other phrases, "cây xăng" added by hand and switched off): 0003 adds "cty" and "bìa đỏ",
    revises "xây nhà" (untouched since the seed), and keeps both of the editor's entries."""
    added_keys = ["cty", "bia do", "cay xang", "dang ki"]
    SearchSynonym.objects.filter(term_key__in=added_keys).delete()
    SearchSynonym.objects.filter(term_key="xay nha").update(expansions="giấy phép xây dựng")
    editor = SearchSynonym.objects.get(term_key="mo quan")
    editor.expansions = "đăng ký hộ kinh doanh\nquán ăn"
    editor.save()
    SearchSynonym.objects.create(term="cây xăng", expansions="xăng dầu", active=False)
    before = SearchSynonym.objects.count()

    more.seed(apps, None)

    assert SearchSynonym.objects.count() == before + 3  # cty, bìa đỏ, đăng kí
    assert phrases("cty") == ["công ty"]
    assert phrases("bia do") == ["giấy chứng nhận quyền sử dụng đất", "đăng ký đất đai"]
    assert phrases("dang ki") == ["đăng ký"]
    assert phrases("xay nha") == ["giấy phép xây dựng", "nhà ở riêng lẻ"]
    assert phrases("mo quan") == ["đăng ký hộ kinh doanh", "quán ăn"]
    kept = SearchSynonym.objects.get(term_key="cay xang")
    assert (kept.expansion_list, kept.active) == (["xăng dầu"], False)


def test_0003_run_twice_changes_nothing():
    """Upgrade: the seed is idempotent (get-or-create, and updates only the first seed's values)."""
    snapshot = list(SearchSynonym.objects.order_by("term_key").values_list("term_key", "term", "expansions", "active"))
    more.seed(apps, None)
    assert (
        list(SearchSynonym.objects.order_by("term_key").values_list("term_key", "term", "expansions", "active"))
        == snapshot
    )


def test_0003_lists_only_terms_not_in_the_first_seed():
    """0003's added and new terms are not in 0002's list, even once folded (get-or-create would
    keep 0002's entry), and its revised terms are, with the phrases 0002 wrote."""
    first = {fold(t): p for t, p in first_seed.SYNONYMS}
    for term, _ in more.ADDED_LATER + more.NEW:
        assert fold(term) not in first, term
    for term, was, _ in more.REVISED:
        assert first[fold(term)] == was
