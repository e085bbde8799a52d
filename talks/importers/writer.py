"""The one write of an import: plain ``ScheduleData`` into the catalog, atomically.

Every row is checked with the model's ``full_clean()`` before it is saved; the first invalid
one raises ``ImportFailure`` naming the file, the element and the reason, and the transaction
rolls the whole import back.
"""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.text import slugify

from talks.models import Conference, Day, Room, Speaker, Talk, TalkLink, TalkSpeaker, Track

from .data import ImportFailure, ImportReport

PROGRESS_EVERY = 100
URL_MAX_LENGTH = 500
is_url = URLValidator(schemes=["http", "https"])


def write_schedule(data, *, time_zone=None, progress=None):
    """Write ``data`` in one transaction; returns an ``ImportReport``.

    ``time_zone`` overrides the conference's (for files that name none); ``progress`` is
    called as ``progress(done, total)`` while talks are written.
    """
    report = ImportReport(skipped=data.skipped.copy(), notes=list(data.notes))
    with transaction.atomic():
        _Writer(data, report).run(time_zone, progress)
    return report


def _reason(exc):
    if hasattr(exc, "error_dict"):
        return "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in exc.message_dict.items())
    return " ".join(exc.messages)


class _Writer:
    def __init__(self, data, report):
        self.data, self.report = data, report

    def save(self, instance, source, element):
        """full_clean() then save(), counting the row as created or updated."""
        created = instance._state.adding
        try:
            instance.full_clean()
            with transaction.atomic():
                instance.save()
        except ValidationError as exc:
            raise ImportFailure(source, _reason(exc), element) from exc
        except DatabaseError as exc:
            raise ImportFailure(source, f"the database refused it: {exc}", element) from exc
        model = instance._meta.model_name
        (self.report.created if created else self.report.updated)[model] += 1
        return instance

    def run(self, time_zone, progress):
        conference = self.conference(time_zone)
        self.localize(conference.tzinfo)
        self.cover_dates(conference)
        self.save(conference, self.data.conference.source, "conference")
        days = self.days(conference)
        tracks = self.tracks(conference)
        rooms = self.rooms(conference)
        speakers = self.speakers()
        existing = {t.guid: t for t in conference.talks.filter(guid__isnull=False)}
        used_slugs = set(conference.talks.values_list("slug", flat=True))
        total = len(self.data.talks)
        for done, item in enumerate(self.data.talks, start=1):
            talk = existing.get(str(item.guid)) or Talk(conference=conference, guid=str(item.guid))
            created = talk._state.adding
            if created:
                talk.slug = _unique(item.slug_hint or slugify(item.title), used_slugs, 140)
            talk.title = item.title[:300]
            talk.kind = item.kind
            talk.day = days.get(item.date)
            talk.track = tracks.get(item.track)
            talk.room = rooms.get(item.room)
            talk.starts_at, talk.ends_at = item.starts_at, item.ends_at
            talk.abstract = item.abstract
            if item.video_url and self.usable_url(item.video_url, "talk video_url"):
                talk.video_url = item.video_url
            self.save(talk, item.source, item.element)
            # Two long names may share their stored characters: one speaker, listed once.
            ordered = list(dict.fromkeys(speakers[name] for name in item.speakers))
            self.talk_speakers(talk, ordered, created)
            self.talk_links(talk, item)
            if progress and (done % PROGRESS_EVERY == 0 or done == total):
                progress(done, total)

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
        data = self.data.conference
        conference = Conference.objects.filter(slug=data.slug).first()
        if conference is None:
            conference = Conference(
                slug=data.slug,
                name=data.name[:200],
                time_zone=data.time_zone or "UTC",
                start_date=data.start_date,
                end_date=data.end_date,
                website=data.website[:URL_MAX_LENGTH],
            )
        if time_zone:
            conference.time_zone = time_zone
        return conference

    def cover_dates(self, conference):
        """The conference's dates widen to hold every talk; a day must lie within them."""
        dates = {talk.date for talk in self.data.talks if talk.date}
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
        dates = {talk.date for talk in self.data.talks if talk.date} | set(in_range)
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
        tracks = {track.slug: track for track in conference.tracks.all()}
        by_name = {}
        for talk in self.data.talks:
            if not talk.track or talk.track in by_name:
                continue
            slug = _stored(Track, "slug", slugify(talk.track)).strip("-") or "track"
            if slug not in tracks:
                tracks[slug] = self.save(
                    Track(
                        conference=conference, slug=slug, name=_stored(Track, "name", talk.track)
                    ),
                    talk.source,
                    f"{talk.element}: track",
                )
            by_name[talk.track] = tracks[slug]
        return by_name

    def rooms(self, conference):
        rooms = {room.name: room for room in conference.rooms.all()}
        by_name = {}
        for talk in self.data.talks:
            if not talk.room or talk.room in by_name:
                continue
            name = _stored(Room, "name", talk.room)
            if name not in rooms:
                rooms[name] = self.save(
                    Room(conference=conference, name=name), talk.source, f"{talk.element}: room"
                )
            by_name[talk.room] = rooms[name]
        return by_name

    def speakers(self):
        """Each name as the file writes it to its speaker. Speakers are looked up by the name
        as stored (cut to the field's length), the one they are created with, so a long name
        finds its speaker again on a re-import instead of making another."""
        stored = {
            _stored(Speaker, "name", name) for talk in self.data.talks for name in talk.speakers
        }
        known = {}
        for speaker in Speaker.objects.filter(name__in=stored).order_by("pk"):
            known.setdefault(speaker.name, speaker)
        new = {}  # each name not yet a speaker, with the first talk naming it (for errors)
        for talk in self.data.talks:
            for name in talk.speakers:
                if (key := _stored(Speaker, "name", name)) not in known:
                    new.setdefault(key, talk)
        slugs = Speaker.unique_slugs_for(list(new))
        for (key, talk), slug in zip(new.items(), slugs, strict=True):
            known[key] = self.save(
                Speaker(name=key, slug=slug), talk.source, f"{talk.element}: person"
            )
        return {
            name: known[_stored(Speaker, "name", name)]
            for talk in self.data.talks
            for name in talk.speakers
        }

    def talk_speakers(self, talk, speakers, created):
        if not created:
            current = [ts.speaker_id for ts in talk.talk_speakers.order_by("position", "id")]
            if current == [speaker.pk for speaker in speakers]:
                return
        talk.talk_speakers.all().delete()
        TalkSpeaker.objects.bulk_create(
            TalkSpeaker(talk=talk, speaker=speaker, position=position)
            for position, speaker in enumerate(speakers, start=1)
        )

    def talk_links(self, talk, item):
        links, seen = [], {talk.video_url}
        for link in item.links:
            if link.url in seen or not self.usable_url(link.url, "talklink"):
                continue
            seen.add(link.url)
            links.append(TalkLink(talk=talk, url=link.url, title=link.title[:200], kind=link.kind))
        wanted = [(link.url, link.title, link.kind) for link in links]
        if wanted == list(talk.links.values_list("url", "title", "kind")):
            return
        talk.links.all().delete()
        for position, link in enumerate(links, start=1):
            link.position = position
            try:
                link.full_clean(validate_unique=False, validate_constraints=False)
            except ValidationError as exc:
                raise ImportFailure(item.source, _reason(exc), f"{item.element}: link") from exc
        TalkLink.objects.bulk_create(links)
        self.report.created["talklink"] += len(links)

    def usable_url(self, url, what):
        """Real files carry a few relative or broken links: those are skipped, not fatal."""
        try:
            is_url(url)
        except ValidationError:
            valid = False
        else:
            valid = len(url) <= URL_MAX_LENGTH
        if not valid:
            self.report.skipped[what] += 1
        return valid


def _stored(model, field_name, value):
    """``value`` as ``model.field_name`` holds it: cut to the field's length. Every name that
    keys a lookup goes through here, so lookups and creations agree on the key."""
    return value[: model._meta.get_field(field_name).max_length]


def _unique(slug, used, max_length):
    base = slug[:max_length].strip("-_") or "talk"
    candidate, suffix = base, 2
    while candidate in used:
        candidate = f"{base[: max_length - 1 - len(str(suffix))]}-{suffix}"
        suffix += 1
    used.add(candidate)
    return candidate
