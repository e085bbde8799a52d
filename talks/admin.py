"""The Django admin, set up for editors of the catalog.

Validation comes from the models' ``clean()``; the admin only arranges the forms.
"""

from django.contrib import admin

from .models import (
    Announcement,
    AnnouncementItem,
    AnnouncementLink,
    Conference,
    ConferenceLink,
    Day,
    Keynote,
    Organization,
    Room,
    Speaker,
    SpeakerLink,
    Talk,
    TalkLink,
    TalkSpeaker,
    Track,
)

admin.site.site_header = "Conference Talks Catalog"
admin.site.site_title = "Catalog admin"
admin.site.index_title = "Edit the catalog"


class OrderedInline(admin.TabularInline):
    extra = 0
    ordering = ["position", "id"]


class ConferenceLinkInline(OrderedInline):
    model = ConferenceLink


class DayInline(admin.TabularInline):
    model = Day
    extra = 0


class TrackInline(admin.TabularInline):
    model = Track
    extra = 0
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Conference)
class ConferenceAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "start_date", "end_date", "city", "country"]
    list_filter = ["country", "start_date"]
    search_fields = ["name", "slug", "city", "venue"]
    prepopulated_fields = {"slug": ["name"]}
    date_hierarchy = "start_date"
    inlines = [DayInline, TrackInline, ConferenceLinkInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "tagline", "description", "website"]}),
        ("When and where", {"fields": ["start_date", "end_date", "time_zone", "venue"]}),
        ("Place", {"fields": ["city", "region", "country"]}),
        ("Editorial", {"fields": ["note"], "classes": ["collapse"]}),
    ]


@admin.register(Day)
class DayAdmin(admin.ModelAdmin):
    list_display = ["__str__", "number", "date", "label"]
    list_filter = ["conference"]
    list_select_related = ["conference"]
    search_fields = ["label", "conference__name"]


@admin.register(Track)
class TrackAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "conference"]
    list_filter = ["conference"]
    list_select_related = ["conference"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["name", "conference"]
    list_filter = ["conference"]
    list_select_related = ["conference"]
    search_fields = ["name"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "website"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class SpeakerLinkInline(OrderedInline):
    model = SpeakerLink


@admin.register(Speaker)
class SpeakerAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "role", "organization"]
    list_filter = ["organization"]
    list_select_related = ["organization"]
    search_fields = ["name", "slug", "role", "organization__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["organization"]
    inlines = [SpeakerLinkInline]


class TalkSpeakerInline(OrderedInline):
    model = TalkSpeaker
    autocomplete_fields = ["speaker"]
    verbose_name = "speaker"
    verbose_name_plural = "speakers (in stage order)"


class TalkLinkInline(OrderedInline):
    model = TalkLink


@admin.register(Talk)
class TalkAdmin(admin.ModelAdmin):
    list_display = ["title", "conference", "kind", "day", "track", "starts_at", "room"]
    list_filter = ["conference", "kind", "day", "track"]
    list_select_related = ["conference", "day__conference", "track", "room"]
    search_fields = ["title", "slug", "abstract", "speakers__name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["conference"]
    inlines = [TalkSpeakerInline, TalkLinkInline]
    fieldsets = [
        (None, {"fields": ["conference", "title", "slug", "kind", "abstract"]}),
        ("Schedule", {"fields": ["day", "track", "room", "starts_at", "ends_at"]}),
        ("Media", {"fields": ["video_url", "slides_url", "code_url"]}),
        ("Editorial", {"fields": ["note", "guid"], "classes": ["collapse"]}),
    ]

    def get_search_results(self, request, queryset, search_term):
        queryset, _ = super().get_search_results(request, queryset, search_term)
        # Searching speaker names joins the speakers; distinct() keeps one row per talk.
        return queryset.distinct(), False


@admin.register(Keynote)
class KeynoteAdmin(TalkAdmin):
    list_display = ["title", "conference", "day", "starts_at"]
    list_filter = ["conference", "day"]
    fieldsets = [
        (None, {"fields": ["conference", "title", "slug", "abstract"]}),
        ("Schedule", {"fields": ["day", "track", "room", "starts_at", "ends_at"]}),
        ("Media", {"fields": ["video_url", "slides_url", "code_url"]}),
        ("Editorial", {"fields": ["note", "guid"], "classes": ["collapse"]}),
    ]


class AnnouncementLinkInline(OrderedInline):
    model = AnnouncementLink


class AnnouncementItemInline(OrderedInline):
    model = AnnouncementItem


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    list_display = ["title", "conference", "talk", "position"]
    list_filter = ["conference", "talk__day"]
    list_select_related = ["conference", "talk"]
    search_fields = ["title", "summary", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["conference", "talk", "presenters", "partners"]
    inlines = [AnnouncementLinkInline, AnnouncementItemInline]
