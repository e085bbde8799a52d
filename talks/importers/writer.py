"""The one write of an import: plain ``ScheduleData`` into the catalog, atomically.

Every row is checked with the model's ``full_clean()`` before it is saved. An event whose talk
breaks a model rule is collected with the reader's left-out events; unless the import skips
invalid events, any of them fails the whole import with every one named, and the transaction
rolls it back. A value longer than its field is cut, and a link listed twice in one event is
kept once, each with a line in the report.

Each talk remembers the source it was imported from (``ScheduleSource``: the file's path or
the address it was fetched from). Importing a source again follows it: a value it cleared is
cleared, a talk it no longer lists is marked cancelled (deleted with ``prune``), and a talk
that comes back is restored. Talks added by hand, or by another source, are never touched.
"""

import ipaddress
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.text import slugify

from talks import changelog
from talks.freshness import catalog_changes, note_changes
from talks.models import (
    Conference,
    ConferenceKind,
    Day,
    LinkKind,
    Room,
    ScheduleSource,
    Speaker,
    SpeakerAlias,
    Talk,
    TalkLink,
    TalkSpeaker,
    TalkStatus,
    TalkTopic,
    Topic,
    TopicAlias,
    Track,
    name_key,
    topic_key,
    topic_name,
)
from talks.models.changelog import ChangeKind
from talks.models.conferences import off_day_message
from talks.models.sources import LOCATION_MAX_LENGTH
from talks.models.web_addresses import normalize_url

from .data import ImportFailure, ImportReport, LeftOut
from .fetch import is_web_address

PROGRESS_EVERY = 100
URL_MAX_LENGTH = 500
# The link an event's own page at the source becomes: visitors know the conference, not the
# tool that published its schedule.
PAGE_AT_SOURCE_TITLE = "On the conference site"
# What a re-import compares to tell an updated talk from an unchanged one.
TALK_FIELDS = (
    "title",
    "subtitle",
    "language",
    "kind",
    "day_id",
    "track_id",
    "room_id",
    "starts_at",
    "ends_at",
    "duration",
    "abstract",
    "abstract_format",
    "video_url",
    "thumbnail_url",
    "status",
    "source_id",
    "published",
    "withheld",
)

# What an import may change on a conference already in the catalog.
CONFERENCE_FIELDS = ("time_zone", "start_date", "end_date", "kind")


def write_schedule(
    data, *, time_zone=None, skip_invalid=False, dry_run=False, prune=False, progress=None
):
    """Write ``data`` in one transaction; returns an ``ImportReport``.

    ``time_zone`` overrides the conference's; ``skip_invalid`` writes the valid events when
    some cannot be imported (each is listed); ``dry_run`` rolls everything back at the end;
    ``prune`` deletes the talks of the source that the file no longer lists, instead of
    marking them cancelled; ``progress`` is called as ``progress(done, total)`` while talks
    are written.
    """
    report = ImportReport(
        events_found=data.events_found,
        left_out=list(data.left_out),
        repeats=list(data.repeats),
        notes=list(data.notes),
    )
    with transaction.atomic(), catalog_changes(), changelog.importing():
        _Writer(data, report).run(time_zone, progress, prune)
        if report.left_out and not skip_invalid:
            raise ImportFailure(
                data.conference.source,
                f"{len(report.left_out)} of {report.events_found} events cannot be imported "
                "(--skip-invalid imports the others):\n"
                + "\n".join(f"  {left_out}" for left_out in report.left_out),
            )
        accounted = (
            report.talks_written + len(report.repeats) + len(report.left_out) + len(report.withheld)
        )
        if accounted != report.events_found:  # a reader that lost an event is a bug
            raise ImportFailure(
                data.conference.source,
                f"{report.events_found} events read but only {accounted} accounted for",
            )
        if dry_run:
            transaction.set_rollback(True)
    return report


def _talk_change(created, restored, republished):
    """What a written talk's report line says happened to it (a TALK_CHANGES key)."""
    if created:
        return "created"
    if restored:
        return "restored"
    return "republished" if republished else "updated"


def _reason(exc):
    if hasattr(exc, "error_dict"):
        return "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in exc.message_dict.items())
    return " ".join(exc.messages)


class _Writer:
    def __init__(self, data, report):
        self.data, self.report = data, report
        # (talk, kind, before, after) of each change to the schedule: the import's version.
        self.schedule_changes = []
        self.days_by_id, self.rooms_by_id = {}, {}
        # Each speaker's name as written in the file, to the name stored (and credited).
        self.credited = {}
        # What the import writes: a withheld event brings no day, track, room, speaker or
        # topic into the catalog.
        self.published_items = [item for item in data.talks if not item.withheld]

    def save(self, instance, source, element, **clean_options):
        """full_clean() then save(), counting the row as created or updated."""
        created = instance._state.adding
        try:
            instance.full_clean(**clean_options)
            with transaction.atomic():
                instance.save()
        except ValidationError as exc:
            raise ImportFailure(source, _reason(exc), element) from exc
        except DatabaseError as exc:
            raise ImportFailure(source, f"the database refused it: {exc}", element) from exc
        model = instance._meta.model_name
        (self.report.created if created else self.report.updated)[model] += 1
        return instance

    def fit(self, model, field_name, value, element):
        """``value`` as ``model.field_name`` can hold it: cut to the field's length, with a
        line in the report. Every name that keys a lookup goes through here, so lookups and
        creations agree on the key."""
        limit = model._meta.get_field(field_name).max_length
        if value and len(value) > limit:
            self.report.notes.append(
                f"{element}: {field_name} cut to {limit} of its {len(value)} characters"
            )
            return value[:limit]
        return value

    def run(self, time_zone, progress, prune):
        conference = self.conference(time_zone)
        stored = Conference.objects.filter(pk=conference.pk).values_list(*CONFERENCE_FIELDS).first()
        zone_changed = stored is not None and stored[0] != conference.time_zone
        conference.checks_talks_on_zone_change = False  # checked once the talks are rewritten
        self.localize(conference.tzinfo)
        self.cover_dates(conference)
        if stored == tuple(_values(conference, CONFERENCE_FIELDS)):
            self.report.unchanged["conference"] += 1
        else:
            self.save(conference, self.data.conference.source, "conference")
        source = self.schedule_source(conference)
        days = self.days(conference)
        tracks = self.tracks(conference)
        rooms = self.rooms(conference)
        speakers = self.speakers()
        topics = self.topics()
        self.days_by_id = {day.pk: day for day in conference.days.all()}
        self.rooms_by_id = {room.pk: room for room in conference.rooms.all()}
        talks = _ConferenceTalks(conference)
        listed = set()  # the talks the file lists, written or unchanged
        total = len(self.data.talks)
        for done, item in enumerate(self.data.talks, start=1):
            if item.withheld:
                hidden = self.withhold(talks.existing.get(item.guid), item)
                if hidden is not None:
                    listed.add(hidden.pk)  # kept, hidden: not a talk the source dropped
                continue
            talk = talks.existing.get(item.guid) or Talk(conference=conference, guid=item.guid)
            created = talk._state.adding
            if created:
                talk.slug = _unique(item.slug_hint or slugify(item.title), talks.slugs, 140)
            before = None if created else _values(talk, TALK_FIELDS)
            shown_before = None if created else self.snapshot(talk)
            restored = talk.withdrawn
            if restored:
                talk.status = TalkStatus.SCHEDULED
            republished = talk.withheld
            if republished:
                talk.published, talk.withheld = True, False
            talk.source = source
            talk.title = self.fit(Talk, "title", item.title, item.element)
            talk.subtitle = self.fit(Talk, "subtitle", item.subtitle, item.element)
            talk.language = self.fit(Talk, "language", item.language, item.element)
            talk.kind = item.kind
            talk.day = days.get(item.date)
            talk.track = tracks.get(item.track)
            talk.room = rooms.get(item.room)
            talk.starts_at, talk.ends_at = item.starts_at, item.ends_at
            talk.duration = item.duration
            talk.abstract = self.fit(Talk, "abstract", item.abstract, item.element)
            talk.abstract_format = item.abstract_format
            # A video the source no longer gives is no longer the talk's.
            talk.video_url = self.usable_url(item.video_url, self.event(item), "video URL")
            talk.thumbnail_url = self.usable_url(
                item.thumbnail_url, self.event(item), "thumbnail URL"
            )
            if not talk.thumbnail_url:  # the source dropped its still: so does the page
                talk.thumbnail, talk.thumbnail_source = "", ""
                talk.thumbnail_width = talk.thumbnail_height = None
            # Two long names may share their stored characters: one speaker, listed once.
            # Each speaker once, credited as the file first names them on the talk.
            credits = {}
            for name in item.speakers:
                credits.setdefault(speakers[name].pk, self.credited[name])
            speaker_ids = list(credits.items())
            topic_ids = sorted({topics[name].pk for name in item.topics if name in topics})
            links = self.links(talk, item)
            after = _values(talk, TALK_FIELDS)
            related = (speaker_ids, links, topic_ids)
            if before == after and talks.same_related_rows(talk, *related):
                self.report.unchanged["talk"] += 1
                listed.add(talk.pk)
            elif self.save_talk(talk, item):
                self.note_schedule_changes(talk, shown_before, talks, speaker_ids)
                talks.replace_related_rows(talk, *related)
                listed.add(talk.pk)
                change = _talk_change(created, restored, republished)
                self.report.talk_changed(change, talk)
            if progress and (done % PROGRESS_EVERY == 0 or done == total):
                progress(done, total)
        talks.flush(self.report)
        self.prefer_common_spellings({s.pk for s in speakers.values()})
        self.follow_withdrawals(conference, source, listed, prune)
        if zone_changed:
            self.keep_talks_on_their_days(conference)
        changelog.record_import(
            conference, source, self.data.conference.version, self.schedule_changes
        )
        self.report.schedule_changes = [kind for _, kind, *_ in self.schedule_changes]

    def withhold(self, talk, item):
        """A talk the source withholds: not imported, or, published by an earlier import,
        hidden (never deleted: an editor may know better). Returns the talk kept, if any."""
        name = f"{item.element} “{item.title}” ({item.withheld})"
        if talk is None:
            self.report.withheld.append(f"{name}: not imported")
            return None
        if talk.published:
            talk.published, talk.withheld = False, True
            talk.save()
            self.report.withheld.append(f"{name}: imported before, now hidden")
        else:
            self.report.withheld.append(f"{name}: already hidden")
        return talk

    def snapshot(self, talk):
        return changelog.snapshot(
            talk, self.days_by_id.get(talk.day_id), self.rooms_by_id.get(talk.room_id)
        )

    def note_schedule_changes(self, talk, shown_before, talks, speaker_ids):
        changes = changelog.changes_between(shown_before, self.snapshot(talk))
        ids = [speaker_id for speaker_id, _ in speaker_ids]
        if shown_before is not None and talks.speaker_ids(talk) != ids:
            changes.append((ChangeKind.SPEAKERS, "", ""))
        self.schedule_changes += [(talk, *change) for change in changes]

    def schedule_source(self, conference):
        """The source this import reads, as the catalog knows it: its address, or its path
        made absolute (a file imported again from another directory is the same file)."""
        location = self.data.conference.source
        if not is_web_address(location):
            location = str(Path(location).resolve())
        if len(location) > LOCATION_MAX_LENGTH:
            raise ImportFailure(
                location, f"the location is longer than {LOCATION_MAX_LENGTH} characters"
            )
        source, created = ScheduleSource.objects.get_or_create(
            conference=conference,
            location=location,
            defaults={"kind": self.data.conference.source_kind},
        )
        if created:
            self.report.created["schedulesource"] += 1
        read = self.data.conference
        imported = (read.digest, read.etag, read.last_modified)
        if imported != (source.digest, source.etag, source.last_modified):
            source.digest, source.etag, source.last_modified = imported
            source.save(update_fields=["digest", "etag", "last_modified"])
        return source

    def follow_withdrawals(self, conference, source, listed, prune):
        """The talks of ``source`` that the file no longer lists: marked cancelled, or with
        ``prune`` deleted, each named. Talks imported before sources were recorded (a guid,
        no source) count as this source's while the conference has no other."""
        own = Q(source=source)
        if not conference.schedule_sources.exclude(pk=source.pk).exists():
            own |= Q(source__isnull=True, guid__isnull=False)
        gone = conference.talks.filter(own).exclude(pk__in=listed).order_by("title", "pk")
        # Without prune a talk already cancelled stays as it is.
        gone = list(gone if prune else gone.filter(status=TalkStatus.SCHEDULED))
        if not gone:
            return
        if self.report.left_out:
            # An event left out may be one of them: nothing is cancelled on a guess.
            names = ", ".join(f"“{talk.title}” ({talk.slug})" for talk in gone)
            self.report.notes.append(
                f"{len(self.report.left_out)} events were left out, so the talks this file "
                f"may no longer list were left as they are: {names}"
            )
            return
        for talk in gone:
            if prune:
                self.schedule_changes.append(
                    (talk, ChangeKind.DELETED, self.snapshot(talk).place_text, "")
                )
                talk.delete()
                self.report.talk_changed("deleted", talk)
            else:
                talk.status, talk.withdrawn, talk.source = TalkStatus.CANCELLED, True, source
                talk.save()
                self.schedule_changes.append((talk, ChangeKind.CANCELLED, "", ""))
                self.report.talk_changed("cancelled", talk)

    def keep_talks_on_their_days(self, conference):
        """After a new zone: the talks the file did not list, or left out, kept their times."""
        off_day = conference.talks_off_their_days()
        if off_day:
            raise ImportFailure(
                self.data.conference.source,
                f"time_zone: {off_day_message(off_day, conference.tzinfo)}",
                "conference",
            )

    def save_talk(self, talk, item):
        """Save one talk; one that breaks a model rule is left out with the reason. Its slug
        and guid are unique by construction and its conference, day, track and room were just
        read or written, so only the model's own rules are checked, without a query each."""
        try:
            self.save(
                talk,
                item.source,
                item.element,
                exclude=["conference", "day", "track", "room"],
                validate_unique=False,
                validate_constraints=False,
            )
        except ImportFailure as exc:
            self.report.left_out.append(LeftOut(item.element, exc.reason))
            return False
        return True

    def localize(self, tz):
        """Starts without an offset are local to the conference, in the zone just settled;
        a talk's day is the date of its start there."""
        for talk in self.data.talks:
            if talk.starts_at is None:
                continue
            if timezone.is_naive(talk.starts_at):
                talk.starts_at = timezone.make_aware(talk.starts_at, tz)
                if talk.ends_at is not None:
                    talk.ends_at = timezone.make_aware(talk.ends_at, tz)
            talk.date = timezone.localtime(talk.starts_at, tz).date()

    def conference(self, time_zone):
        """The conference, with its zone from the option, else the file, else the catalog;
        local times with none of them would be a guess, so the import is refused."""
        data = self.data.conference
        conference = Conference.objects.filter(slug=data.slug).first()
        if conference is None:
            conference = Conference(
                slug=data.slug,
                name=self.fit(Conference, "name", data.name, "conference"),
                start_date=data.start_date,
                end_date=data.end_date,
                website=self.usable_url(data.website, f"conference {data.slug}", "website"),
            )
            if not (time_zone or data.time_zone) and self.has_local_times():
                raise ImportFailure(
                    data.source,
                    "the file names no time zone and its times carry no UTC offset: give the "
                    "conference's zone with --time-zone (e.g. --time-zone Europe/Brussels)",
                    "conference",
                )
        conference.time_zone = time_zone or data.time_zone or conference.time_zone
        # A source that recurs over years makes its conference a series; one that does not
        # leaves the kind an editor chose.
        if data.kind == ConferenceKind.SERIES:
            conference.kind = ConferenceKind.SERIES
        return conference

    def has_local_times(self):
        return any(t.starts_at and timezone.is_naive(t.starts_at) for t in self.data.talks)

    def cover_dates(self, conference):
        """The conference's dates widen to hold every talk; a day must lie within them."""
        dates = {talk.date for talk in self.published_items if talk.date}
        first = min([*dates, *filter(None, [conference.start_date])], default=None)
        last = max([*dates, *filter(None, [conference.end_date])], default=None)
        conference.start_date, conference.end_date = first, last

    def days(self, conference):
        days = {day.date: day for day in conference.days.all() if day.date}
        numbers = [day.number for day in conference.days.all()]
        in_range = [
            date
            for date in self.data.conference.day_dates
            if conference.start_date and conference.start_date <= date <= conference.end_date
        ]
        dates = {talk.date for talk in self.published_items if talk.date} | set(in_range)
        number = max(numbers, default=0)
        for date in sorted(dates - set(days)):
            number += 1
            days[date] = self.save(
                Day(conference=conference, number=number, date=date),
                self.data.conference.source,
                f"day {date:%Y-%m-%d}",
            )
        return days

    def tracks(self, conference):
        """Tracks are keyed on their names: two names with one slug ("C" and "C++", or two
        names in scripts slugify drops) are two tracks, the later one's slug suffixed."""
        existing = list(conference.tracks.all())
        by_stored_name = {track.name: track for track in existing}
        slugs = {track.slug for track in existing}
        limit = Track._meta.get_field("slug").max_length
        by_name = {}
        for talk in self.published_items:
            if not talk.track or talk.track in by_name:
                continue
            element = f"{talk.element}: track"
            name = self.fit(Track, "name", talk.track, element)
            if name not in by_stored_name:
                slug = _unique(slugify(name) or "track", slugs, limit)
                by_stored_name[name] = self.save(
                    Track(conference=conference, slug=slug, name=name), talk.source, element
                )
            by_name[talk.track] = by_stored_name[name]
        return by_name

    def rooms(self, conference):
        rooms = {room.name: room for room in conference.rooms.all()}
        by_name = {}
        for talk in self.published_items:
            if not talk.room or talk.room in by_name:
                continue
            name = self.fit(Room, "name", talk.room, f"{talk.element}: room")
            if name not in rooms:
                rooms[name] = self.save(
                    Room(conference=conference, name=name), talk.source, f"{talk.element}: room"
                )
            by_name[talk.room] = rooms[name]
        return by_name

    def speakers(self):
        """Each name as the file writes it to its speaker, found by the key of the name as
        stored (``name_key``: cut to the field's length, case, spacing and quote marks
        folded) among the speakers and the aliases of merged ones, so "Guido Van Rossum" finds
        "Guido van Rossum". A new speaker takes the file's most frequent spelling of the key.
        ``self.credited`` keeps each name as stored, what the talk credits. New speakers are
        validated one by one and written in one go."""
        by_name, first_talk, spellings = {}, {}, {}
        for talk in self.published_items:
            for name in talk.speakers:
                if name not in self.credited:
                    stored = self.fit(Speaker, "name", name, f"{talk.element}: person")
                    self.credited[name] = stored
                    by_name[name] = name_key(stored)
                    first_talk.setdefault(by_name[name], talk)
                spellings.setdefault(by_name[name], Counter())[self.credited[name]] += 1
        known = {}
        for speaker in Speaker.objects.filter(name_key__in=spellings).order_by("pk"):
            known.setdefault(speaker.name_key, speaker)
        aliases = SpeakerAlias.objects.filter(name_key__in=set(spellings) - set(known))
        for alias in aliases.select_related("speaker").order_by("pk"):
            known.setdefault(alias.name_key, alias.speaker)
        new = [key for key in spellings if key not in known]
        names = [spellings[key].most_common(1)[0][0] for key in new]  # ties: the first met
        created = []
        for key, name, slug in zip(new, names, Speaker.unique_slugs_for(names), strict=True):
            speaker = Speaker(name=name, name_key=key, slug=slug)
            try:
                speaker.full_clean(validate_unique=False, validate_constraints=False)
            except ValidationError as exc:
                talk = first_talk[key]
                raise ImportFailure(talk.source, _reason(exc), f"{talk.element}: person") from exc
            known[key] = speaker
            created.append(speaker)
        Speaker.objects.bulk_create(created, batch_size=500)
        self.report.created["speaker"] += len(created)
        return {name: known[key] for name, key in by_name.items()}

    def prefer_common_spellings(self, speaker_ids):
        """Each speaker named by the most frequent spelling their talks credit, among the
        spellings of their own name's key (a name an editor chose otherwise is left alone):
        "Guido Van Rossum", created from the first folder imported, becomes "Guido van
        Rossum" once most of his talks are credited so."""
        credits = (
            TalkSpeaker.objects.filter(speaker_id__in=speaker_ids)
            .exclude(credited_as="")
            .values_list("speaker_id", "credited_as")
            .annotate(times=Count("pk"))
        )
        counted = {}
        for speaker_id, name, times in credits:
            counted.setdefault(speaker_id, Counter())[name] = times
        speakers = Speaker.objects.filter(pk__in=counted).only("pk", "slug", "name", "name_key")
        for speaker in speakers:
            own = {n: t for n, t in counted[speaker.pk].items() if name_key(n) == speaker.name_key}
            if not own:
                continue
            best = max(own, key=lambda n: (own[n], n == speaker.name, n))
            if best != speaker.name:
                self.report.notes.append(
                    f"speaker “{speaker.name}” ({speaker.slug}) named “{best}”, as "
                    f"{own[best]} of their {sum(counted[speaker.pk].values())} talks credit them"
                )
                speaker.name = best
                speaker.save(update_fields=["name", "updated_at"])

    def topics(self):
        """Each tag the file names to its topic: found by its key (``topic_key``) among the
        topics and the aliases of merged ones, else created with the file's first spelling,
        all new ones in one go. A tag of separators alone names nothing and is left out."""
        by_name, new = {}, {}
        for talk in self.published_items:
            for name in talk.topics:
                if name not in by_name:
                    fitted = self.fit(Topic, "name", topic_name(name), f"{talk.element}: tag")
                    by_name[name] = topic_key(fitted)
                    new.setdefault(by_name[name], fitted)
        keys = set(new) - {""}
        known = {topic.key: topic for topic in Topic.objects.filter(key__in=keys)}
        aliases = TopicAlias.objects.filter(key__in=keys - set(known)).select_related("topic")
        known.update((alias.key, alias.topic) for alias in aliases)
        missing = sorted(keys - set(known))
        self.report.unchanged["topic"] += len(keys) - len(missing)
        taken = Topic.taken_slugs() if missing else set()
        created = [Topic(name=new[k], key=k, slug=Topic.slug_for(k, taken)) for k in missing]
        Topic.objects.bulk_create(created, batch_size=500)
        known.update((topic.key, topic) for topic in created)
        self.report.created["topic"] += len(created)
        return {name: known[key] for name, key in by_name.items() if key}

    def links(self, talk, item):
        """The talk's links in the file's order, each address once (a second listing, told
        apart only after normalising, gets a report line), then its page at the source unless
        a link of the file is that page already: the file's own title and kind win."""
        owner = self.event(item)
        links, seen = [], {}  # each address kept, with its title
        for link in item.links:
            url = self.usable_url(link.url, owner, "link")
            if not url:
                continue
            if url == talk.video_url:
                self.report.notes.append(
                    f"{owner}: link “{url}” is the talk's video link already, kept once"
                )
                continue
            if url in seen:
                self.report.notes.append(_repeated_link_note(owner, url, seen[url], link.title))
                continue
            seen[url] = link.title
            title = self.fit(TalkLink, "title", link.title, f"{item.element}: link")
            links.append(TalkLink(talk=talk, url=url, title=title, kind=link.kind))
        page = self.page_at_source(item.page_url, owner)
        if page and page not in seen and page != talk.video_url:
            links.append(
                TalkLink(talk=talk, url=page, title=PAGE_AT_SOURCE_TITLE, kind=LinkKind.WEBSITE)
            )
        for position, link in enumerate(links, start=1):
            link.position = position
            try:
                link.full_clean(exclude=["talk"], validate_unique=False, validate_constraints=False)
            except ValidationError as exc:
                raise ImportFailure(item.source, _reason(exc), f"{item.element}: link") from exc
        return links

    def page_at_source(self, url, owner):
        """A public page of the event, or "". Schedule tools write the address they are
        served at, which for a demo or a test instance is a local one (pretalx's demo writes
        ``http://localhost/...``): no visitor can open it."""
        url = self.usable_url(url, owner, "page at the source")
        if url and _is_local(urlsplit(url).hostname):
            self.report.notes.append(
                f"{owner}: page at the source left out: “{url}” is a local address, "
                "not a public page"
            )
            return ""
        return url

    def usable_url(self, url, owner, what):
        """``url`` normalised, or "" when there is none or it cannot be made a valid http(s)
        URL. Real files carry a few broken links: such a link is left out with a line in the
        report naming its owner and the reason, and the record that holds it is kept."""
        if not url:
            return ""
        try:
            url = normalize_url(url)
            if len(url) > URL_MAX_LENGTH:
                raise ValidationError(f"“{url}” is longer than {URL_MAX_LENGTH} characters.")
        except ValidationError as exc:
            self.report.notes.append(f"{owner}: {what} left out: {' '.join(exc.messages)}")
            return ""
        return url

    @staticmethod
    def event(item):
        return f"{item.element} “{item.title}”"


class _ConferenceTalks:
    """The conference's talks as they stand, read once, and the speaker and link rows the
    import changes, written in bulk at the end instead of a few queries per talk."""

    def __init__(self, conference):
        self.conference = conference
        self.existing = {t.guid: t for t in conference.talks.filter(guid__isnull=False)}
        self.slugs = set(conference.talks.values_list("slug", flat=True))
        self.speakers, self.links = {}, {}  # speakers: (speaker id, credited as) in stage order
        for talk_id, *place in (
            TalkSpeaker.objects.filter(talk__conference=conference)
            .order_by("talk_id", "position", "id")
            .values_list("talk_id", "speaker_id", "credited_as")
        ):
            self.speakers.setdefault(talk_id, []).append(tuple(place))
        for talk_id, *link in (
            TalkLink.objects.filter(talk__conference=conference)
            .order_by("talk_id", "position", "id")
            .values_list("talk_id", "url", "title", "kind")
        ):
            self.links.setdefault(talk_id, []).append(tuple(link))
        self.topics = {}
        for talk_id, topic_id in (
            TalkTopic.objects.filter(talk__conference=conference)
            .order_by("talk_id", "topic_id")
            .values_list("talk_id", "topic_id")
        ):
            self.topics.setdefault(talk_id, []).append(topic_id)
        self.stale_speakers, self.stale_links, self.stale_topics = [], [], []
        self.new_speakers, self.new_links, self.new_topics = [], [], []

    def speaker_ids(self, talk):
        return [speaker_id for speaker_id, _ in self.speakers.get(talk.pk, [])]

    def same_related_rows(self, talk, speaker_ids, links, topic_ids):
        return (
            self.speakers.get(talk.pk, []) == speaker_ids
            and self.links.get(talk.pk, []) == [(link.url, link.title, link.kind) for link in links]
            and self.topics.get(talk.pk, []) == topic_ids
        )

    def replace_related_rows(self, talk, speaker_ids, links, topic_ids):
        if self.topics.get(talk.pk, []) != topic_ids:
            if talk.pk in self.topics:
                self.stale_topics.append(talk.pk)
            self.new_topics += [TalkTopic(talk=talk, topic_id=topic_id) for topic_id in topic_ids]
        if self.speakers.get(talk.pk, []) != speaker_ids:
            if talk.pk in self.speakers:
                self.stale_speakers.append(talk.pk)
            self.new_speakers += [
                TalkSpeaker(talk=talk, speaker_id=speaker_id, position=position, credited_as=name)
                for position, (speaker_id, name) in enumerate(speaker_ids, start=1)
            ]
        if self.links.get(talk.pk, []) != [(link.url, link.title, link.kind) for link in links]:
            if talk.pk in self.links:
                self.stale_links.append(talk.pk)
            self.new_links += links

    def flush(self, report):
        TalkSpeaker.objects.filter(talk_id__in=self.stale_speakers).delete()
        TalkLink.objects.filter(talk_id__in=self.stale_links).delete()
        TalkTopic.objects.filter(talk_id__in=self.stale_topics).delete()
        TalkSpeaker.objects.bulk_create(self.new_speakers, batch_size=500)
        TalkLink.objects.bulk_create(self.new_links, batch_size=500)
        TalkTopic.objects.bulk_create(self.new_topics, batch_size=500)
        if self.new_speakers or self.new_links or self.new_topics:  # bulk_create: no signals
            note_changes(
                conferences=[self.conference.pk],
                speaker_pages={row.speaker_id for row in self.new_speakers},
            )
        report.created["talklink"] += len(self.new_links)


def _repeated_link_note(owner, url, first_title, title):
    note = f"{owner}: link “{url}” listed twice, kept once"
    if title and title != first_title:
        note += f" with its first title “{first_title}” (“{title}” left out)"
    return note


def _is_local(host):
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return not ipaddress.ip_address(host).is_global
    except ValueError:  # a name, not an address
        return False


def _values(instance, names):
    return [getattr(instance, name) for name in names]


def _unique(slug, used, max_length):
    base = slug[:max_length].strip("-_") or "talk"
    candidate, suffix = base, 2
    while candidate in used:
        candidate = f"{base[: max_length - 1 - len(str(suffix))]}-{suffix}"
        suffix += 1
    used.add(candidate)
    return candidate
