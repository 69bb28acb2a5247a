"""Admin wiring of search: editors maintain the synonym list as a snippet."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from search.models import SearchSynonym


class SearchSynonymViewSet(SnippetViewSet):
    model = SearchSynonym
    icon = "search"
    menu_label = _("Từ đồng nghĩa tìm kiếm")
    list_display = ["term", "expansions", "active"]
    list_filter = ["active"]
    search_fields = ["term", "expansions"]
    add_to_admin_menu = True
    menu_order = 320


register_snippet(SearchSynonymViewSet)
