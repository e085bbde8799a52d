"""The Django admin, set up for editors of the catalog.

Validation comes from the models' ``clean()``; the admin only arranges the forms.
"""

import datetime
from contextlib import contextmanager

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.db.models import Count
from django.template.defaultfilters import pluralize
from django.utils import timezone

from . import changelog
from .freshness import catalog_changes, note_changes
from .importers.fetch import is_web_address
from .importers.sync import SyncRunning, sync_sources
from .models import (
    Announcement,
    AnnouncementItem,
    AnnouncementLink,
    Conference,
    ConferenceLink,
    ConferenceSource,
    Day,
    Keynote,
    Organization,
    Room,
    ScheduleSource,
    Speaker,
    SpeakerAlias,
    SpeakerLink,
    Talk,
    TalkLink,
    TalkSpeaker,
    TalkStatus,
    TalkTopic,
    Topic,
    TopicAlias,
    Track,
    merge_speakers,
    merge_topics,
)
from .numbers import whole_number

admin.site.site_header = "Conference Talks Catalog"
admin.site.site_title = "Catalog admin"
admin.site.index_title = "Edit the catalog"


class VersionCheckedForm(forms.ModelForm):
    """A change form that carries the version (``updated_at``) of the record it was opened
    with, and refuses to save over a version someone else saved since.

    A POST without the field (a script, not this form) is not checked, as an API write without
    If-Match is not.
    """

    loaded_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["loaded_version"] = self.instance.updated_at.isoformat()

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk and self.add_prefix("loaded_version") in self.data:
            self._refuse_newer_version(cleaned_data.get("loaded_version", ""))
        return cleaned_data

    def _refuse_newer_version(self, loaded_version):
        try:
            version = datetime.datetime.fromisoformat(loaded_version)
        except ValueError:
            version = None
        # The admin saves in the transaction this runs in: the row stays locked until then.
        if version and self.instance.lock_unchanged_since(version):
            return
        # Read when this request opened the record: the other editor's save.
        changed_at = self.instance.updated_at.astimezone(datetime.UTC)
        raise ValidationError(
            "Someone else changed this %(thing)s at %(time)s UTC on %(date)s, after you opened "
            "it. Nothing was saved: reload the page to see their change, then make yours again.",
            code="stale",
            params={
                "thing": self.instance._meta.verbose_name,
                "time": f"{changed_at:%H:%M}",
                "date": f"{changed_at:%Y-%m-%d}",
            },
        )


class VersionCheckedAdmin(admin.ModelAdmin):
    """For the catalog's records (all ``Timestamped``): no editor saves over another's change."""

    form = VersionCheckedForm

    class Media:
        # Times are the conference's local times: no note about the browser's time zone.
        js = ["talks/admin-conference-time.js"]

    # What one submission changes (a record and its inlines, the thousands of rows a
    # conference's deletion cascades to, an action's records) is marked once
    # (talks.freshness), in the transaction that changes it.

    def changeform_view(self, request, *args, **kwargs):
        with self._one_change(request):
            return super().changeform_view(request, *args, **kwargs)

    def delete_view(self, request, *args, **kwargs):
        with self._one_change(request):
            return super().delete_view(request, *args, **kwargs)

    def changelist_view(self, request, *args, **kwargs):
        with self._one_change(request):
            return super().changelist_view(request, *args, **kwargs)

    @contextmanager
    def _one_change(self, request):
        if request.method != "POST":
            yield
            return
        with transaction.atomic(using=router.db_for_write(self.model)), catalog_changes():
            yield

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if "loaded_version" in flatten_fieldsets(fieldsets):  # no fieldsets: the form's fields
            return fieldsets
        (name, options), *others = fieldsets
        return [(name, {**options, "fields": [*options["fields"], "loaded_version"]}), *others]


class OrderedInline(admin.TabularInline):
    extra = 0
    ordering = ["position", "id"]


class ConferenceLinkInline(OrderedInline):
    model = ConferenceLink


class ConferenceSourceInline(OrderedInline):
    model = ConferenceSource


class ScheduleSourceForm(forms.ModelForm):
    class Meta:
        model = ScheduleSource
        fields = ["location", "kind"]

    def clean_location(self):
        # A path would let whoever edits conferences make the server read its own files;
        # operators record those with import_schedule on the command line.
        location = self.cleaned_data["location"].strip()
        if "location" in self.changed_data and not is_web_address(location):
            raise ValidationError(
                "Give an http(s) address. A file on the server is recorded by running "
                "import_schedule with its path."
            )
        return location


class ScheduleSourceInline(admin.TabularInline):
    """The schedules imports fill the conference from; ``import_schedule`` records each, and
    an editor may name one (the conference's "Sync now" action, or sync_schedules, imports
    it)."""

    model = ScheduleSource
    form = ScheduleSourceForm
    extra = 0
    fields = ["location", "kind", "checked_at", "last_result"]
    readonly_fields = ["checked_at", "last_result"]
    verbose_name_plural = "schedule sources (imports cancel the talks a source no longer lists)"


class DayInline(admin.TabularInline):
    model = Day
    extra = 0


class TrackInline(admin.TabularInline):
    model = Track
    extra = 0
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Conference)
class ConferenceAdmin(VersionCheckedAdmin):
    list_display = ["name", "slug", "kind", "start_date", "end_date", "city", "country"]
    list_filter = ["kind", "country", "start_date"]
    search_fields = ["name", "slug", "city", "venue"]
    prepopulated_fields = {"slug": ["name"]}
    date_hierarchy = "start_date"
    inlines = [
        DayInline,
        TrackInline,
        ConferenceLinkInline,
        ConferenceSourceInline,
        ScheduleSourceInline,
    ]
    actions = ["sync_now"]

    @admin.action(description="Sync now: import the schedule sources that changed")
    def sync_now(self, request, queryset):
        # The same path as sync_schedules, lock included; one message per source.
        sources = ScheduleSource.objects.filter(conference__in=queryset).select_related(
            "conference"
        )
        if not sources:
            self.message_user(
                request,
                "None of these conferences names a schedule source: add one under "
                "“Schedule sources” on its page.",
                messages.WARNING,
            )
            return
        try:
            for outcome in sync_sources(sources):
                source = outcome.source
                self.message_user(
                    request,
                    f"{source.conference.slug} ({source.location}): {outcome.line}",
                    messages.ERROR if outcome.failed else messages.SUCCESS,
                )
        except SyncRunning as exc:
            self.message_user(request, f"{exc}; try again in a minute.", messages.WARNING)

    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "tagline", "description", "website"]}),
        ("When and where", {"fields": ["start_date", "end_date", "time_zone", "venue"]}),
        ("Place", {"fields": ["city", "region", "country"]}),
        ("Attendance", {"fields": ["attendance"]}),
        ("Editorial", {"fields": ["note"], "classes": ["collapse"]}),
    ]


@admin.register(Day)
class DayAdmin(VersionCheckedAdmin):
    list_display = ["__str__", "number", "date", "label"]
    list_filter = ["conference"]
    list_select_related = ["conference"]
    search_fields = ["label", "conference__name", "=number"]


@admin.register(Track)
class TrackAdmin(VersionCheckedAdmin):
    list_display = ["name", "slug", "conference"]
    list_filter = ["conference"]
    list_select_related = ["conference"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Room)
class RoomAdmin(VersionCheckedAdmin):
    list_display = ["name", "conference"]
    list_filter = ["conference"]
    list_select_related = ["conference"]
    search_fields = ["name"]


@admin.register(Organization)
class OrganizationAdmin(VersionCheckedAdmin):
    list_display = ["name", "slug", "website"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class SpeakerLinkInline(OrderedInline):
    model = SpeakerLink


class SpeakerForm(VersionCheckedForm):
    """A new speaker's slug, left empty, is derived from the name on save by the rule imports
    follow (``Speaker.unique_slug_for``), rather than by the admin's own script, which spells
    names outside ASCII differently."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance._state.adding:
            return
        self.fields["slug"].required = False
        self.fields["slug"].help_text = (
            "Leave empty to derive it from the name (transliterated to ASCII, with a suffix "
            "only on a clash)."
        )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("slug") and cleaned.get("name"):
            cleaned["slug"] = Speaker.unique_slug_for(cleaned["name"])
        return cleaned


class AliasInline(admin.TabularInline):
    """What a merge left (a key imports find, a slug that redirects): shown, never edited."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class SpeakerAliasInline(AliasInline):
    model = SpeakerAlias
    readonly_fields = ["name_key", "slug"]
    verbose_name = "merged speaker"
    verbose_name_plural = "merged speakers (their addresses redirect here)"


@admin.register(Speaker)
class SpeakerAdmin(VersionCheckedAdmin):
    form = SpeakerForm
    list_display = ["name", "slug", "role", "organization"]
    list_filter = ["organization"]
    list_select_related = ["organization"]
    search_fields = ["name", "slug", "role", "organization__name"]
    autocomplete_fields = ["organization"]
    inlines = [SpeakerLinkInline, SpeakerAliasInline]
    actions = ["merge_selected_speakers"]

    @admin.action(
        description="Merge the selected speakers into the one with the most talks (one person)",
        permissions=["change"],
    )
    def merge_selected_speakers(self, request, queryset):
        speakers = sorted(
            queryset.annotate(talk_total=Count("talk_roles")),
            key=lambda speaker: (-speaker.talk_total, speaker.pk),
        )
        if len(speakers) < 2:
            self.message_user(request, "Select two speakers or more to merge.", messages.WARNING)
            return
        kept, *merged = speakers
        moved = merge_speakers(kept, merged)
        # update() sends no signals: the moved talks and the kept speaker's pages changed.
        note_changes(talks=moved, speakers=[kept.pk])
        self.log_change(request, kept, f"Merged {', '.join(s.name for s in merged)} into it.")
        names = ", ".join(f"“{speaker.name}” ({speaker.slug})" for speaker in merged)
        self.message_user(
            request,
            f"Merged {names} into “{kept.name}” ({kept.slug}): their talks, announcements "
            "and links are theirs now, their pages redirect, and imports of their names "
            "find this speaker.",
            messages.SUCCESS,
        )


class TalkSpeakerInline(OrderedInline):
    model = TalkSpeaker
    autocomplete_fields = ["speaker"]
    verbose_name = "speaker"
    verbose_name_plural = "speakers (in stage order)"


class TalkLinkInline(OrderedInline):
    model = TalkLink


class TalkTopicInline(admin.TabularInline):
    model = TalkTopic
    extra = 0
    autocomplete_fields = ["topic"]
    verbose_name = "topic"


class TopicAliasInline(AliasInline):
    model = TopicAlias
    readonly_fields = ["key", "slug"]
    verbose_name = "merged spelling"
    verbose_name_plural = "merged spellings (their addresses redirect here)"


@admin.register(Topic)
class TopicAdmin(VersionCheckedAdmin):
    list_display = ["name", "slug", "talk_count"]
    search_fields = ["name", "slug", "key"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug"]
    inlines = [TopicAliasInline]
    actions = ["merge_selected_topics"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_talk_count()

    @admin.display(description="talks", ordering="talk_count")
    def talk_count(self, topic):
        return topic.talk_count

    @admin.action(
        description="Merge the selected topics into the one with the most talks",
        permissions=["change"],
    )
    def merge_selected_topics(self, request, queryset):
        topics = sorted(queryset, key=lambda topic: (-topic.talk_count, topic.pk))
        if len(topics) < 2:
            self.message_user(request, "Select two topics or more to merge.", messages.WARNING)
            return
        kept, *merged = topics
        moved = merge_topics(kept, merged)
        # bulk_create sends no signals: the moved talks' pages name the kept topic now.
        note_changes(talks=moved)
        self.log_change(request, kept, f"Merged {', '.join(t.name for t in merged)} into it.")
        names = ", ".join(f"“{topic.name}”" for topic in merged)
        self.message_user(
            request,
            f"Merged {names} into “{kept.name}”: {len(moved)} talk{pluralize(len(moved))} "
            "now carry it, and the merged topics' addresses redirect to it. Rename it if "
            "another spelling suits better.",
            messages.SUCCESS,
        )


@admin.register(Talk)
class TalkAdmin(VersionCheckedAdmin):
    list_display = [
        "title",
        "conference",
        "kind",
        "status",
        "published",
        "day",
        "track",
        "starts_at",
        "room",
    ]
    list_filter = ["conference", "status", "published", "kind", "day", "track"]
    actions = ["cancel_talks", "restore_talks", "unpublish_talks", "publish_talks"]
    list_select_related = ["conference", "day__conference", "track", "room"]
    search_fields = ["title", "slug", "abstract", "speakers__name"]
    prepopulated_fields = {"slug": ["title"]}
    # Autocompletes, not selects: a catalog of many conferences has thousands of days and tracks.
    autocomplete_fields = ["conference", "day", "track", "room"]
    inlines = [TalkSpeakerInline, TalkTopicInline, TalkLinkInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "conference",
                    "title",
                    "subtitle",
                    "slug",
                    "kind",
                    "language",
                    "abstract",
                    "abstract_format",
                ]
            },
        ),
        (
            "Schedule",
            {"fields": ["status", "cancelled_at", "day", "track", "room", "starts_at", "ends_at"]},
        ),
        ("Media", {"fields": ["video_url", "slides_url", "code_url"]}),
        ("Publication", {"fields": ["published", "withheld"]}),
        ("Editorial", {"fields": ["note", "guid", "source"], "classes": ["collapse"]}),
    ]
    readonly_fields = ["cancelled_at", "source", "withheld"]

    @admin.action(description="Cancel the selected talks", permissions=["change"])
    def cancel_talks(self, request, queryset):
        self._set(request, queryset, "status", TalkStatus.CANCELLED, "cancelled")

    @admin.action(
        description="Restore the selected talks (no longer cancelled)", permissions=["change"]
    )
    def restore_talks(self, request, queryset):
        self._set(request, queryset, "status", TalkStatus.SCHEDULED, "restored")

    @admin.action(
        description="Unpublish the selected talks (hidden from the public)", permissions=["change"]
    )
    def unpublish_talks(self, request, queryset):
        self._set(request, queryset, "published", False, "unpublished")

    @admin.action(description="Publish the selected talks", permissions=["change"])
    def publish_talks(self, request, queryset):
        self._set(request, queryset, "published", True, "published")

    def _set(self, request, queryset, field, value, done):
        # One save a talk, not an update(): each dates its cancellation, is marked changed for
        # the stored pages (talks.freshness) and logged in the admin's history.
        changed = [talk for talk in queryset if getattr(talk, field) != value]
        for talk in changed:
            setattr(talk, field, value)
            talk.save()
            self.log_change(request, talk, [{"changed": {"fields": [field]}}])
        self.message_user(
            request, f"{len(changed)} talk{pluralize(len(changed))} {done}.", messages.SUCCESS
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Editors read and type times in the conference's own zone, as the pages show them.
        with timezone.override(self._conference_time_zone(request, object_id)):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            # Rendered here: a lazy TemplateResponse would show the times outside the zone.
            return response.render() if hasattr(response, "render") else response

    def _conference_time_zone(self, request, object_id):
        conference_id = None
        if request.method == "POST":
            conference_id = whole_number(request.POST.get("conference", ""), max_digits=18)
        if conference_id is None and object_id:
            talk_id = whole_number(object_id, max_digits=18)
            talk = Talk.everything.filter(pk=talk_id).only("conference_id").first()
            conference_id = talk.conference_id if talk else None
        conference = Conference.objects.filter(pk=conference_id).first()
        return conference.tzinfo if conference else datetime.UTC

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        zone = timezone.get_current_timezone_name()
        where = f"the conference's local time ({zone})" if obj else "the conference's local time"
        for name in ("starts_at", "ends_at"):
            if name in form.base_fields:
                form.base_fields[name].help_text = f"In {where}."
        return form

    def get_search_results(self, request, queryset, search_term):
        queryset, _ = super().get_search_results(request, queryset, search_term)
        # Searching speaker names joins the speakers; distinct() keeps one row per talk.
        return queryset.distinct(), False

    def save_related(self, request, form, formsets, change):
        talk = form.instance
        before = self._stage_order(talk) if change else None
        super().save_related(request, form, formsets, change)
        if before is not None:
            changelog.speakers_changed(talk, before, self._stage_order(talk))

    @staticmethod
    def _stage_order(talk):
        stage = talk.talk_speakers.order_by("position", "id")
        return list(stage.values_list("speaker_id", flat=True))


@admin.register(Keynote)
class KeynoteAdmin(TalkAdmin):
    list_display = ["title", "conference", "day", "starts_at"]
    list_filter = ["conference", "day"]
    # A talk's fields but its kind, which a keynote's save sets.
    fieldsets = [
        (name, {**options, "fields": [f for f in options["fields"] if f != "kind"]})
        for name, options in TalkAdmin.fieldsets
    ]


class AnnouncementLinkInline(OrderedInline):
    model = AnnouncementLink


class AnnouncementItemInline(OrderedInline):
    model = AnnouncementItem


@admin.register(Announcement)
class AnnouncementAdmin(VersionCheckedAdmin):
    list_display = ["title", "conference", "talk", "position"]
    list_filter = ["conference", "talk__day"]
    list_select_related = ["conference", "talk"]
    search_fields = ["title", "summary", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["conference", "talk", "presenters", "partners"]
    inlines = [AnnouncementLinkInline, AnnouncementItemInline]
