"""Template tags of the citizen-facing pages: money, time limits, channels, pagination, sections.

Values are formatted for the active language: Vietnamese groups thousands with "." and writes
decimals with "," ("8.000 đ", "0,5 ngày làm việc"); English uses "," and ".".
"""

import re
from decimal import Decimal, InvalidOperation

from django import template
from django.utils import numberformat
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.models import Page, Site

from services.blocks import CHANNEL_CHOICES
from services.dossiers.selectors import person_name

register = template.Library()

CHANNEL_LABELS = dict(CHANNEL_CHOICES)

#: "Bước 1:", "Bước 2." … at the start of a step: the page numbers steps itself.
STEP_PREFIX = re.compile(r"^\s*Bước\s+\d+\s*[:.\-–]\s*", re.IGNORECASE)

#: Paths of portal functions that are not Wagtail pages (issues to come).
#: Public dossier tracking arrives with the online filing issue; until its URL exists the
#: link is not shown (a link to a 404 is worse than none).
DOSSIER_LOOKUP_URL_NAME = "dossier_lookup"


def _lookup_url() -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(DOSSIER_LOOKUP_URL_NAME)
    except NoReverseMatch:
        return ""


SEARCH_PATH = "/tim-kiem/"


def _number(value) -> str:
    """``value`` (int or Decimal) without trailing zeros, in the active locale's notation."""
    try:
        value = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    else:
        value = value.normalize()
    # Thousands are always grouped (Django's "vi" locale sets no NUMBER_GROUPING of its own).
    return numberformat.format(
        value,
        get_format("DECIMAL_SEPARATOR"),
        grouping=3,
        thousand_sep=get_format("THOUSAND_SEPARATOR"),
        force_grouping=True,
    )


@register.filter
def vnd(amount) -> str:
    """An amount in Vietnamese đồng: ``8000`` -> "8.000 đ"; ``0`` -> "Miễn phí"; ``None`` -> ""."""
    if amount in (None, ""):
        return ""
    if Decimal(amount) == 0:
        return _("Miễn phí")
    # Translated with a plain space (gettext tools keep "\u00a0" escapes undecoded), then the
    # space is made non-breaking so that an amount never wraps away from its currency.
    return (_("%(amount)s đ") % {"amount": _number(amount)}).replace(" ", "\u00a0")


@register.filter
def time_limit(channel) -> str:
    """A channel's time limit as a phrase: "5 ngày làm việc", "15 ngày", "0,5 ngày làm việc".

    ``channel`` is a ``ChannelBlock`` value. Returns "" when no number is given (the verbatim
    ``time_text`` then says it all). Units outside the known list show the number alone.
    """
    limit = channel.get("time_limit")
    if limit is None or limit == "":
        return ""
    n = _number(limit)
    # Only exactly one takes the singular in English ("1 working day", "0.5 working days").
    count = 1 if Decimal(limit) == 1 else 2
    unit = channel.get("time_unit")
    if unit == "working_days":
        return ngettext("%(n)s ngày làm việc", "%(n)s ngày làm việc", count) % {"n": n}
    if unit == "days":
        return ngettext("%(n)s ngày", "%(n)s ngày", count) % {"n": n}
    if unit == "hours":
        return ngettext("%(n)s giờ", "%(n)s giờ", count) % {"n": n}
    if unit == "months":
        return ngettext("%(n)s tháng", "%(n)s tháng", count) % {"n": n}
    return n


@register.filter
def channel_label(code: str) -> str:
    """The label of a submission channel code ("in_person" -> "Trực tiếp")."""
    return CHANNEL_LABELS.get(code, code)


@register.filter
def step_text(text: str) -> str:
    """A step without its own "Bước n:" prefix, since the page numbers the steps."""
    return STEP_PREFIX.sub("", text or "", count=1)


@register.simple_tag
def elided_pages(page_obj):
    """Page numbers around the current page, with ``Paginator.ELLIPSIS`` in the gaps."""
    return list(page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1))


@register.simple_tag(takes_context=True)
def portal_sections(context) -> dict:
    """The site's top sections, found among the live children of the site root.

    Returns ``{"catalogue": url, "guidance": url, "lookup": url, "search": url, "current": page
    or None}``: the first procedure catalogue and the first guidance index (by tree order), and
    the section the current request is in (for breadcrumbs and ``aria-current``). Two small
    queries (view restrictions, then the children), once per request; pages are matched by content type name, so this module does
    not import the home app (apps import downward only).
    """
    request = context.get("request")
    if request is None:
        return {
            "catalogue": "/",
            "guidance": "/",
            "lookup": _lookup_url(),
            "search": SEARCH_PATH,
            "current": None,
        }
    cached = getattr(request, "_portal_sections", None)
    if cached is not None:
        return cached
    site = Site.find_for_request(request)
    root_path = next((p.root_path for p in Site.get_site_root_paths() if site and p.site_id == site.pk), None)
    children = []
    if root_path:
        children = list(
            Page.objects.live()
            .public()
            .filter(url_path__startswith=root_path, depth=root_path.count("/") + 1)
            .select_related("content_type")
            .order_by("path")
            .only("id", "title", "url_path", "path", "depth", "content_type")
        )
    sections = {
        "catalogue": None,
        "guidance": None,
        "lookup": _lookup_url(),
        "search": SEARCH_PATH,
        "current": None,
    }
    kinds = {"procedureindexpage": "catalogue", "guidanceindexpage": "guidance"}
    for child in children:
        child.section_url = child.get_url(request)
        kind = kinds.get(child.content_type.model)
        if kind and sections[kind] is None:
            sections[kind] = child.section_url
        if child.section_url and request.path.startswith(child.section_url):
            sections["current"] = child
    sections["catalogue"] = sections["catalogue"] or "/"
    sections["guidance"] = sections["guidance"] or "/"
    request._portal_sections = sections
    return sections


@register.simple_tag
def case_contents(cases) -> dict:
    """Which parts the cases of a procedure fill in, to skip empty sections and table-of-contents entries.

    ``cases`` is the ``cases`` StreamField value; returns ``{"steps": bool, "channels": bool,
    "components": bool, "several": bool, "post": bool}`` ("post": some case accepts the
    public post service).
    """
    values = [block.value for block in cases]
    return {
        "steps": any(v.get("steps") for v in values),
        "channels": any(v.get("channels") for v in values),
        "components": any(v.get("components") for v in values),
        "several": len(values) > 1,
        "post": any(ch.get("channel") == "post" for v in values for ch in v.get("channels") or []),
    }


@register.filter
def person(user) -> str:
    """``{{ user|person }}``: a user's name, family name first (``selectors.person_name``)."""
    return person_name(user)


@register.filter
def iso_date(value):
    """``"2026-12-02"`` (as events store dates) as a ``date`` for the ``date`` filter; else unchanged."""
    from datetime import date

    try:
        return date.fromisoformat(value) if isinstance(value, str) else value
    except ValueError:
        return value
