"""/sitemap.xml: every public page of the catalog, each dated by its last change.

Each entry's <lastmod> is the date the page itself sends as Last-Modified (the records' own
``with_last_change()``), so the sitemap's Last-Modified header, the newest of them, is that of
the whole catalog.
"""

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap as django_sitemap
from django.urls import reverse

from .freshness import catalog_last_change
from .models import Announcement, Conference, Speaker, Talk
from .views.caching import public_export, with_last_modified


class CatalogPagesSitemap(Sitemap):
    """The pages that are not one record: home and the speaker index (dated by the whole
    catalog), each conference's lists (dated by the conference)."""

    def items(self):
        whole_catalog = catalog_last_change()
        pages = [("talks:home", (), whole_catalog), ("talks:speaker-list", (), whole_catalog)]
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


class RecordSitemap(Sitemap):
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


sitemaps = {
    "pages": CatalogPagesSitemap,
    "conferences": ConferenceSitemap,
    "talks": TalkSitemap,
    "speakers": SpeakerSitemap,
    "announcements": AnnouncementSitemap,
}


@public_export
def sitemap(request):
    response = django_sitemap(request, sitemaps)
    if not response.has_header("Last-Modified"):
        # Django dates the sitemap only when every section has a page; the home page's date,
        # the catalog's last change, is what it would say.
        with_last_modified(response, catalog_last_change())
    return response
