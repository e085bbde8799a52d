"""/sitemap.xml: every public page of the catalog."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Announcement, Conference, Speaker, Talk


class CatalogPagesSitemap(Sitemap):
    """The pages that are not one record: home, the speaker index, each conference's lists."""

    def items(self):
        pages = [("talks:home", ()), ("talks:speaker-list", ())]
        for slug in Conference.objects.values_list("slug", flat=True):
            for name in ("talks:talk-list", "talks:schedule", "talks:announcement-list"):
                pages.append((name, (slug,)))
        return pages

    def location(self, item):
        name, args = item
        return reverse(name, args=args)


class ConferenceSitemap(Sitemap):
    def items(self):
        return Conference.objects.order_by("slug")


class TalkSitemap(Sitemap):
    def items(self):
        return Talk.objects.select_related("conference").order_by("conference__slug", "slug")


class SpeakerSitemap(Sitemap):
    def items(self):
        return Speaker.objects.order_by("slug")


class AnnouncementSitemap(Sitemap):
    def items(self):
        return Announcement.objects.select_related("conference").order_by(
            "conference__slug", "slug"
        )


sitemaps = {
    "pages": CatalogPagesSitemap,
    "conferences": ConferenceSitemap,
    "talks": TalkSitemap,
    "speakers": SpeakerSitemap,
    "announcements": AnnouncementSitemap,
}
