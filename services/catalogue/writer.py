"""Fast, complete writes of imported procedure pages.

Wagtail's ``add_child`` + ``save_revision`` + ``publish`` saves a page three times and runs the
search and reference indexers on each save (about 140 ms a row here). An import writes each
new or changed page once, with the same result an editor's publish leaves: the page row, its
relations, one revision that is both latest and live, and "create"/"edit" + "publish" log
entries. Tree paths are allocated from one read of the catalogue's last child, under a row lock
on the catalogue so that two imports cannot take the same path. Search and reference indexes
are brought up to date in bulk by :meth:`PageWriter.finish`.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from django.utils import timezone
from wagtail.models import Page, PageLogEntry, Revision
from wagtail.signal_handlers import disable_reference_index_auto_update

from services.models import ProcedurePage
from services.signals import catalogue_imported
from services.text import slugify_vi


class PageWriter:
    def __init__(self, *, catalogue, user=None):
        self.catalogue = catalogue
        self.user = user
        self._next_path = None
        self._slugs = None
        self._created = 0
        self.written_ids: list[int] = []
        self.with_documents: list[int] = []
        self._logs: list[PageLogEntry] = []
        self._content_type = ContentType.objects.get_for_model(ProcedurePage)
        self._base_content_type = ContentType.objects.get_for_model(Page)

    def _allocate_path(self) -> str:
        if self._next_path is None:
            # Row lock: concurrent imports into one catalogue wait here (PostgreSQL).
            locked = Page.objects.select_for_update().get(pk=self.catalogue.pk)
            # Read the children themselves: numchild is only brought up to date by finish().
            last = Page.objects.filter(path__startswith=locked.path, depth=locked.depth + 1).order_by("-path").first()
            self._next_path = last._inc_path() if last else Page._get_path(locked.path, locked.depth + 1, 1)
        path = self._next_path
        self._next_path = Page._get_path(
            path[: -Page.steplen], len(path) // Page.steplen, Page._str2int(path[-Page.steplen :]) + 1
        )
        return path

    def _allocate_slug(self, title: str) -> str:
        if self._slugs is None:
            self._slugs = set(
                Page.objects.filter(path__startswith=self.catalogue.path, depth=self.catalogue.depth + 1).values_list(
                    "slug", flat=True
                )
            )
        base = slugify_vi(title, 80)
        slug, n = base, 1
        while slug in self._slugs:
            n += 1
            slug = f"{base}-{n}"
        self._slugs.add(slug)
        return slug

    def save(self, page: ProcedurePage, *, is_create: bool) -> None:
        now = timezone.now()
        if is_create:
            page.path = self._allocate_path()
            page.depth = self.catalogue.depth + 1
            page.numchild = 0
            page.slug = self._allocate_slug(page.title)
            page.locale_id = self.catalogue.locale_id
            page.set_url_path(self.catalogue)
            page.live = True
            page.first_published_at = now
            page.owner = self.user
        page._bulk_import = True
        was_live = page.live
        page.draft_title = page.title
        page.latest_revision_created_at = now
        page._is_site_root = False  # spares Page.save a Site query per row
        page._cached_parent_obj = self.catalogue  # spares treebeard a parent query per new row
        if was_live:
            page.has_unpublished_changes = False
            page.last_published_at = now
        # Serialise while relations are still in memory (after commit they would be re-read).
        content = page.serializable_data()
        if was_live:
            with disable_reference_index_auto_update():
                page.save(clean=False, log_action=None)
            content["pk"] = page.pk
            for key in ("path", "url_path", "live", "has_unpublished_changes"):
                content[key] = getattr(page, key)
        else:
            # An unpublished page stays unpublished and its row untouched, as Wagtail does with
            # drafts: the import becomes its latest revision. The row's content hash follows the
            # draft so that importing the same file again writes nothing.
            ProcedurePage.objects.filter(pk=page.pk).update(content_hash=page._incoming_hash)
        revision = Revision.objects.create(
            content_type=self._content_type,
            base_content_type=self._base_content_type,
            object_id=str(page.pk),
            content=content,
            user=self.user,
            object_str=str(page.title)[:255],
        )
        updates = {"latest_revision": revision, "draft_title": page.title, "latest_revision_created_at": now}
        if was_live:
            updates["live_revision"] = revision
        else:
            updates["has_unpublished_changes"] = True
        Page.objects.filter(pk=page.pk).update(**updates)
        if is_create:
            self._created += 1
        action = "wagtail.create" if is_create else "wagtail.edit"
        for act in [action, "wagtail.publish"] if was_live else [action]:
            self._logs.append(
                PageLogEntry(
                    content_type=self._content_type,
                    page_id=page.pk,
                    label=str(page.title)[:255],
                    action=act,
                    user=self.user,
                    revision=revision,
                    content_changed=True,
                    timestamp=now,
                )
            )
        self.written_ids.append(page.pk)
        if any(comp.get("form_document") for block in page.cases.raw_data for comp in block["value"]["components"]):
            self.with_documents.append(page.pk)

    def mark(self) -> tuple[int, int, int, int]:
        return len(self._logs), len(self.written_ids), len(self.with_documents), self._created

    def discard_since(self, mark) -> None:
        """Forget what was written since ``mark``: its savepoint was rolled back."""
        logs, written, docs, created = mark
        del self._logs[logs:], self.written_ids[written:], self.with_documents[docs:]
        self._created = created
        self._next_path = None  # re-read the last child: the rolled-back paths are free again
        self._slugs = None

    def flush(self) -> None:
        """Write the log entries gathered so far (called after each chunk: memory stays flat)."""
        PageLogEntry.objects.bulk_create(self._logs, batch_size=500)
        self._logs = []

    def finish(self) -> None:
        """Bump the catalogue's child count, write log entries, announce the written pages."""
        if self._created:
            Page.objects.filter(pk=self.catalogue.pk).update(numchild=F("numchild") + self._created)
            self.catalogue.numchild += self._created
        self.flush()
        if self.written_ids:
            catalogue_imported.send(
                sender=ProcedurePage, page_ids=list(self.written_ids), with_documents=list(self.with_documents)
            )
