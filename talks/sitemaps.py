"""The sitemap: /sitemap.xml is an index of the sitemaps of each kind of page
(/sitemap-talks.xml and so on), each split into pages of at most ``URLS_PER_SITEMAP``
addresses (``?p=2``...). The protocol allows 50,000 addresses a file, which a catalog of
tens of thousands of talks and speakers passes; a smaller page also answers faster.

Each entry's <lastmod> is the date the page itself sends as Last-Modified (the records' own
``with_last_change()``), so a sitemap page's Last-Modified header is the newest of its entries.
The index gives no <lastmod> per sitemap (the protocol makes it optional): the newest change of
a whole section would take computing every record's; its own Last-Modified is the catalog's
last change.
"""

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.core.paginator import Paginator
from django.http import Http404
from django.urls import reverse
from django.utils.functional import cached_property

from .caching import public_export, with_last_modified
from .freshness import catalog_last_change
from .models import Announcement, Conference, Speaker, Talk, Topic
from .numbers import whole_number

URLS_PER_SITEMAP = 10_000


class CatalogSitemap(Sitemap):
    limit = URLS_PER_SITEMAP

    @cached_property
    def paginator(self):
        """Counted once: Django's property makes a new paginator, and query, at each use."""
        return Paginator(self._items(), self.limit)

    def get_latest_lastmod(self):
        """None, for the index: Django's own would date every record of the section."""
        return None


class CatalogPagesSitemap(CatalogSitemap):
    """The pages that are not one record: home, the conference and speaker indexes (dated by
    the whole catalog), each conference's lists (dated by the conference)."""

    def items(self):
        whole_catalog = catalog_last_change()
        pages = [
            (name, (), whole_catalog)
            for name in (
                "talks:home",
                "talks:conference-list",
                "talks:speaker-list",
                "talks:topic-list",
            )
        ]
        conferences = Conference.objects.with_last_change().order_by("slug")
        for slug, last_change in conferences.values_list("slug", "last_change"):
            for name in ("talks:talk-list", "talks:schedule", "talks:announcement-list"):
                pages.append((name, (slug,), last_change))
        return pages

    def location(self, item):
        name, args, _ = item
        return reverse(name, args=args)

    def lastmod(self, item):
        return item[2]


class RecordSitemap(CatalogSitemap):
    """One page per record, dated by the record's ``last_change`` annotation."""

    def lastmod(self, item):
        return item.last_change


class ConferenceSitemap(RecordSitemap):
    def items(self):
        return Conference.objects.with_last_change().order_by("slug")


class TalkSitemap(RecordSitemap):
    def items(self):
        return (
            Talk.objects.select_related("conference")
            .with_last_change()
            .order_by("conference__slug", "slug")
        )


class SpeakerSitemap(RecordSitemap):
    def items(self):
        return Speaker.objects.with_last_change().order_by("slug")


class AnnouncementSitemap(RecordSitemap):
    def items(self):
        return (
            Announcement.objects.select_related("conference")
            .with_last_change()
            .order_by("conference__slug", "slug")
        )


class TopicSitemap(CatalogSitemap):
    """The topics with published talks; a topic page lists talks from anywhere, so it is
    dated by the catalog's last change."""

    def items(self):
        return Topic.objects.with_talk_count().filter(talk_count__gt=0).order_by("slug")

    def lastmod(self, item):
        return self.catalog_change

    @cached_property
    def catalog_change(self):
        return catalog_last_change()


sitemaps = {
    "pages": CatalogPagesSitemap,
    "conferences": ConferenceSitemap,
    "talks": TalkSitemap,
    "speakers": SpeakerSitemap,
    "announcements": AnnouncementSitemap,
    "topics": TopicSitemap,
}


@public_export
def sitemap_index(request):
    """The sections with pages (a sitemap without an address is not valid), each page of each."""
    sections = {name: section() for name, section in sitemaps.items()}
    listed = {name: section for name, section in sections.items() if section.paginator.count}
    response = sitemap_views.index(request, listed, sitemap_url_name="talks:sitemap-section")
    # It lists every page of the catalog: its date is the catalog's last change.
    return with_last_modified(response, catalog_last_change())


@public_export
def sitemap_section(request, section):
    """One page of one section; an unknown section or page is a 404, and so is a section
    without a page yet (the index leaves it out: a sitemap without an address is not valid)."""
    # Django reads ``p`` with int(), which takes other scripts' digits (an Arabic-Indic one is
    # 1), and the last of several: page 1 would be served under addresses the index never gives.
    pages = request.GET.getlist("p")
    if len(pages) > 1 or (pages and whole_number(pages[0], max_digits=9) is None):
        raise Http404("No such sitemap page.")
    if section not in sitemaps:
        raise Http404("No such sitemap.")
    sitemap = sitemaps[section]()
    if not sitemap.paginator.count:
        raise Http404("Nothing of this kind in the catalog yet.")
    return sitemap_views.sitemap(request, {section: sitemap}, section=section)
