"""What a change to the catalog retires: the marks that stored responses are checked against.

A stored response (``talks.caching``) remembers the serial of the catalog when its rendering
began and the *scopes* it shows:

- ``conference:<id>``: a conference and everything in it (days, tracks, rooms, talks, their
  speakers' order and links, announcements), what its lists, schedule and exports show;
- ``frame:<id>``: the conference's own rows (the conference, its days, tracks, rooms and
  links), the frame that each page of one of its talks shows around the talk;
- ``talk:<id>``: one talk and what its own page shows of others (speakers, links,
  announcements made in it);
- ``speaker:<id>``: one speaker's own pages;
- ``catalog``: the lists of the whole catalog (home, conference and speaker lists, search,
  sitemap, unfiltered API lists).

A change marks each scope it touches with a new serial (``ChangeMark`` rows); a stored
response is current while none of its scopes carries a serial newer than its own. So an edit
retires what shows it, and nothing else:

- a talk, its links or speakers' order: that talk, its conference's lists, the catalog-wide
  lists; a speaker's page shows the conferences of the talks on it, so it is retired too;
- a conference's own rows: its frame (every talk page of it) and its lists;
- an announcement: its conference's lists and the talk it was made in;
- a speaker's own row: the speaker, the talks they give, the conferences they speak or present
  at (their lists, schedules and exports print the name);
- a talk gaining or losing a speaker, an announcement a presenter: that speaker's pages too;
- an organization (shown beside speakers and announcements everywhere): ``all``, a scope
  every answer shows.

``manage.py retire_stored_responses`` gives the catalog a new *epoch* (a random number) rather
than a newer serial, so it also retires what was stored before a database was restored from a
backup, whose serials may be lower than the stored copies'.

The marks are written in the transaction of the change, so they commit with it and roll back
with it, in every process on every host, and a cache that is lost or restarted never brings
an old state back. A reader takes the serial *before* it reads any data: whatever it then
reads, a change committed meanwhile carries a newer serial and retires the copy at once.

Saves, deletes and many-to-many changes are marked through signals, one mark per change, or
once for a whole block inside ``catalog_changes()`` (imports and loads use it, so a thousand
rows cost one mark). ``bulk_create()``, ``QuerySet.update()`` and raw SQL send no signals:
code using them calls ``note_changes()`` for what it wrote.
"""

import random
import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from talks.models import (
    Announcement,
    AnnouncementItem,
    AnnouncementLink,
    Conference,
    ConferenceLink,
    ConferenceSource,
    Day,
    Organization,
    Room,
    ScheduleChange,
    ScheduleSource,
    ScheduleVersion,
    Speaker,
    SpeakerAlias,
    SpeakerLink,
    Talk,
    TalkLink,
    TalkSpeaker,
    TalkTopic,
    Topic,
    TopicAlias,
    Track,
)
from talks.models.base import CompiledValues, Timestamped, newest_update_row
from talks.models.changes import ChangeMark
from talks.models.sources import CommandLock

CATALOG = "catalog"
# The row counting every change: its serial is the catalog's.
COUNTER = "*"
# The row whose serial is the epoch: random, renewed to retire everything.
EPOCH = "epoch"
# The scope every answer shows: what is printed everywhere (organizations) marks it.
ALL = "all"
# Scopes upserted per statement: well under every engine's limit on parameters.
MARK_BATCH = 500


def conference_scope(pk):
    return f"conference:{pk}"


def frame_scope(pk):
    return f"frame:{pk}"


def talk_scope(pk):
    return f"talk:{pk}"


def speaker_scope(pk):
    return f"speaker:{pk}"


def record_scopes(record):
    """The scopes that one record's own API detail shows: a talk and its frame; a
    conference's or day's or track's frame; a speaker and the talks shown with them
    (``recent_talks``); an announcement's conference."""
    model = record._meta.concrete_model
    if model is Talk:
        return talk_scopes(record.pk, record.conference_id)
    if model is Conference:
        return [frame_scope(record.pk)]
    if model in (Day, Track):
        return [frame_scope(record.conference_id)]
    if model is Speaker:
        return speaker_scopes(record.pk, getattr(record, "recent_talks", []))
    if model is Topic:
        return []  # its talk count: the catalog's (the scope every answer is stored under)
    return [conference_scope(record.conference_id)]


def talk_scopes(talk_id, conference_id):
    """The scopes a talk shows as a record (its page's part, its API representation): the talk
    (its speakers and links) and its conference's frame (day, track, room, the conference)."""
    return [talk_scope(talk_id), frame_scope(conference_id)]


def speaker_scopes(speaker_id, talks):
    """The scopes of a speaker shown with ``talks``: the speaker, each talk and its frame."""
    shown = {(talk_scope(talk.pk), frame_scope(talk.conference_id)) for talk in talks}
    return [speaker_scope(speaker_id), *(scope for pair in shown for scope in pair)]


def speaker_page_scopes(speaker_id, using=DEFAULT_DB_ALIAS):
    """The scopes a speaker's page shows: the speaker, each of their talks and the frame of
    its conference, and the conferences they presented announcements at; two queries."""
    spoken = TalkSpeaker._base_manager.using(using).filter(speaker_id=speaker_id)
    presented = Announcement._base_manager.using(using).filter(presenters=speaker_id)
    scopes = {speaker_scope(speaker_id)}
    for talk_id, conference_id in spoken.values_list("talk_id", "talk__conference_id"):
        scopes.update((talk_scope(talk_id), frame_scope(conference_id)))
    scopes.update(map(conference_scope, presented.values_list("conference_id", flat=True)))
    return sorted(scopes)


@dataclass
class Changes:
    """Changed rows, by what their scopes follow from: ``conferences`` anything in them,
    ``frames`` their own rows too, ``talks`` and ``announcements`` also stand for their
    conferences (and an announcement for its talk), ``speakers`` for edits of a speaker's own
    record (their talks and conferences too), ``speaker_pages`` for speakers whose list of
    talks changed; ``placed_talks`` are talks whose conference is already among them."""

    conferences: set = field(default_factory=set)
    frames: set = field(default_factory=set)
    talks: set = field(default_factory=set)
    placed_talks: set = field(default_factory=set)
    announcements: set = field(default_factory=set)
    speakers: set = field(default_factory=set)
    speaker_pages: set = field(default_factory=set)
    everything: bool = False
    new_epoch: bool = False

    def add(
        self,
        *,
        conferences=(),
        frames=(),
        talks=(),
        placed_talks=(),
        announcements=(),
        speakers=(),
        speaker_pages=(),
        everything=False,
        new_epoch=False,
    ):
        self.conferences.update(conferences)
        self.frames.update(frames)
        self.talks.update(talks)
        self.placed_talks.update(placed_talks)
        self.announcements.update(announcements)
        self.speakers.update(speakers)
        self.speaker_pages.update(speaker_pages)
        self.everything |= everything
        self.new_epoch |= new_epoch

    def __bool__(self):
        return bool(
            self.everything
            or self.new_epoch
            or self.conferences
            or self.frames
            or self.talks
            or self.placed_talks
            or self.announcements
            or self.speakers
            or self.speaker_pages
        )


_collecting = ContextVar("talks_catalog_changes", default=None)


@contextmanager
def catalog_changes(using=DEFAULT_DB_ALIAS):
    """Collect the changes made inside the block and mark them once, when it ends without an
    error. Open it inside the transaction that makes the changes, so that the mark commits
    with them; nested blocks join the outermost one."""
    if _collecting.get() is not None:
        yield
        return
    changes = Changes()
    token = _collecting.set(changes)
    try:
        yield
    finally:
        _collecting.reset(token)
    mark(changes, using)


def note_changes(using=DEFAULT_DB_ALIAS, **changed):
    """Record changed rows (see ``Changes.add``): marked at once, or at the end of the
    enclosing ``catalog_changes()`` block."""
    collecting = _collecting.get()
    if collecting is not None:
        collecting.add(**changed)
        return
    changes = Changes()
    changes.add(**changed)
    mark(changes, using)


def retire_everything(using=DEFAULT_DB_ALIAS):
    """Retire every stored response and fragment: a new epoch, e.g. after rows were written
    behind the signals or the database was restored from a backup."""
    note_changes(using, new_epoch=True)


def mark(changes, using=DEFAULT_DB_ALIAS):
    """Give every scope ``changes`` touch a new serial, in one transaction."""
    connection = connections[using]
    # A transaction bound to roll back (a dry run) changes nothing, and marks nothing.
    if not changes or (connection.in_atomic_block and connection.needs_rollback):
        return
    scopes = [(scope, None) for scope in sorted(_scopes(changes, using))]
    if changes.new_epoch:
        scopes.append((EPOCH, random.SystemRandom().randrange(1, 2**62)))
    now_ms = int(time.time() * 1000)
    table = connection.ops.quote_name(ChangeMark._meta.db_table)
    upsert = (
        f"INSERT INTO {table} (scope, serial, changed_ms, previous) VALUES {{rows}} "
        "ON CONFLICT (scope) "
    )
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute(
            upsert.format(rows="(%s, 1, %s, 0)")
            + f"DO UPDATE SET serial = {table}.serial + 1, changed_ms = excluded.changed_ms "
            "RETURNING serial",
            [COUNTER, now_ms],
        )
        (serial,) = cursor.fetchone()
        for start in range(0, len(scopes), MARK_BATCH):
            batch = scopes[start : start + MARK_BATCH]
            cursor.execute(
                upsert.format(rows=", ".join(["(%s, %s, %s, 0)"] * len(batch)))
                + f"DO UPDATE SET previous = {table}.serial, serial = excluded.serial, "
                "changed_ms = excluded.changed_ms",
                [value for scope, own in batch for value in (scope, own or serial, now_ms)],
            )


def _scopes(changes, using):
    conferences = changes.conferences | changes.frames
    talks = changes.talks | changes.placed_talks
    if changes.announcements:
        announcements = Announcement._base_manager.using(using).filter(pk__in=changes.announcements)
        for conference_id, talk_id in announcements.values_list("conference_id", "talk_id"):
            conferences.add(conference_id)
            talks.add(talk_id)
    if changes.speakers:
        spoken = TalkSpeaker._base_manager.using(using).filter(speaker_id__in=changes.speakers)
        for talk_id, conference_id in spoken.values_list("talk_id", "talk__conference_id"):
            talks.add(talk_id)
            conferences.add(conference_id)
        presented = Announcement._base_manager.using(using).filter(presenters__in=changes.speakers)
        conferences.update(presented.values_list("conference_id", flat=True))
    if changes.talks:
        rows = Talk._base_manager.using(using).filter(pk__in=changes.talks)
        conferences.update(rows.values_list("conference_id", flat=True))
    speakers = changes.speakers | changes.speaker_pages
    return {
        CATALOG,
        *([ALL] if changes.everything else []),
        *(conference_scope(pk) for pk in conferences if pk is not None),
        *(frame_scope(pk) for pk in changes.frames if pk is not None),
        *(talk_scope(pk) for pk in talks if pk is not None),
        *(speaker_scope(pk) for pk in speakers),
    }


@dataclass(frozen=True)
class Marks:
    """The catalog's epoch and serial, and the marks of some scopes, as read at one moment."""

    epoch: int
    serial: int
    scopes: dict  # scope: (serial, changed_ms, serial before it)

    @property
    def version(self):
        """What a copy rendered from now on is current as of: (epoch, serial)."""
        return (self.epoch, self.serial)

    def _marks(self, scopes):
        return [self.scopes[s] for s in {*scopes, ALL} if s in self.scopes]

    def newest(self, scopes):
        """The newest serial among ``scopes`` (and ``all``), 0 if none was ever marked."""
        return max((serial for serial, _, _ in self._marks(scopes)), default=0)

    def current(self, version, scopes):
        """Whether a copy of ``scopes`` rendered as of ``version`` is still current: same epoch,
        no scope changed since, and a serial the catalog has reached (a database restored
        from a backup may count lower)."""
        epoch, serial = version
        return epoch == self.epoch and self.newest(scopes) <= serial <= self.serial

    def just_retired(self, version, scopes, within_ms):
        """Whether a copy rendered as of ``version`` missed only the last change of each of
        its scopes, each made less than ``within_ms`` ago: it was current a moment ago."""
        epoch, serial = version
        now_ms = time.time() * 1000
        return (
            epoch == self.epoch
            and serial <= self.serial
            and all(
                before <= serial and now_ms - changed_ms < within_ms
                for changed, changed_ms, before in self._marks(scopes)
                if changed > serial
            )
        )


def read_marks(scopes=(), using=DEFAULT_DB_ALIAS):
    """The catalog's epoch and serial and the marks of ``scopes``, in one query."""
    wanted = [COUNTER, EPOCH, ALL, *scopes]
    connection = connections[using]
    table = connection.ops.quote_name(ChangeMark._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT scope, serial, changed_ms, previous FROM {table} "
            f"WHERE scope IN ({', '.join(['%s'] * len(wanted))})",
            wanted,
        )
        found = {scope: tuple(mark) for scope, *mark in cursor.fetchall()}
    serial = found.pop(COUNTER, (0,))[0]
    epoch = found.pop(EPOCH, (0,))[0]
    return Marks(epoch, serial, found)


def _newest_of_every_table():
    newest = [
        newest_update_row(model._default_manager.all())
        for model in apps.get_app_config("talks").get_models()
        if issubclass(model, Timestamped) and not model._meta.proxy
    ]
    first, *others = newest
    return first.union(*others, all=True)


_CATALOG_LAST_CHANGE = CompiledValues(_newest_of_every_table)


def catalog_last_change():
    """The newest ``updated_at`` of any catalog record, None for an empty catalog; one query."""
    return max((row[0] for row in _CATALOG_LAST_CHANGE.rows() if row[0]), default=None)


# --- What each kind of row touches -----------------------------------------------------------

# How a saved or deleted row of each model touches the catalog (``Changes.add`` arguments).
ROW_CHANGES = {
    Conference: lambda row: {"frames": [row.pk]},
    Day: lambda row: {"frames": [row.conference_id]},
    Track: lambda row: {"frames": [row.conference_id]},
    Room: lambda row: {"frames": [row.conference_id]},
    ConferenceLink: lambda row: {"frames": [row.conference_id]},
    ConferenceSource: lambda row: {"frames": [row.conference_id]},
    Talk: lambda row: {"placed_talks": [row.pk], "conferences": [row.conference_id]},
    Announcement: lambda row: {"conferences": [row.conference_id], "placed_talks": [row.talk_id]},
    TalkLink: lambda row: {"talks": [row.talk_id]},
    TalkSpeaker: lambda row: {"talks": [row.talk_id], "speaker_pages": [row.speaker_id]},
    AnnouncementLink: lambda row: {"announcements": [row.announcement_id]},
    AnnouncementItem: lambda row: {"announcements": [row.announcement_id]},
    Speaker: lambda row: {"speakers": [row.pk]},
    # A speaker's links are shown on their own pages only.
    SpeakerLink: lambda row: {"speaker_pages": [row.speaker_id]},
    Organization: lambda row: {"everything": True},
    # Where an import reads from: no page, export or API answer shows it.
    ScheduleSource: lambda row: {},
    # A conference's changelog: its changes page, feed and API list, and the frab exports'
    # version.
    ScheduleVersion: lambda row: {"conferences": [row.conference_id]},
    ScheduleChange: lambda row: {"conferences": [row.conference_id]},
    # A topic's name is printed on its talks' pages (and its own lists, catalog-wide).
    Topic: lambda row: {"talks": _talks_of_topic(row.pk)},
    TalkTopic: lambda row: {"talks": [row.talk_id]},
    # A merged topic's or speaker's old address, or a speaker's former name: a redirect (never
    # stored) and what imports look up.
    TopicAlias: lambda row: {},
    SpeakerAlias: lambda row: {},
}


def _talks_of_topic(topic_id):
    return list(TalkTopic.objects.filter(topic_id=topic_id).values_list("talk_id", flat=True))


# A model of the app without a rule retires everything: safe, if not precise.
UNKNOWN_ROW = {"everything": True}

# Rows an editor can move to another parent: the one they leave is touched too.
MOVABLE = {
    Day: {"conference_id": "frames"},
    Track: {"conference_id": "frames"},
    Room: {"conference_id": "frames"},
    Talk: {"conference_id": "conferences"},
    Announcement: {"conference_id": "conferences", "talk_id": "talks"},
    TalkSpeaker: {"talk_id": "talks", "speaker_id": "speaker_pages"},
    TalkTopic: {"talk_id": "talks"},
}
# What a row leaves behind, noted before it is written (the parent it moves away from; the
# announcements a deleted speaker presented, whose links Django removes first, unsignalled)
# and marked with it, after the write: a mark made before the write commits could let a
# reader store what it reads in between as current.
LEFT_BEHIND = "_talks_left_behind"

# Either side of a many-to-many relation: what its rows touch (Organization: nothing shown).
RELATED_CHANGES = {
    Talk: lambda pks: {"talks": pks},
    Speaker: lambda pks: {"speaker_pages": pks},
    Announcement: lambda pks: {"announcements": pks},
}


def _is_catalog(model):
    return model._meta.app_label == "talks" and model not in (ChangeMark, CommandLock)


def _before_save(sender, instance, using=DEFAULT_DB_ALIAS, **kwargs):
    model = sender._meta.concrete_model
    parents = MOVABLE.get(model)
    if parents is None or instance._state.adding or instance.pk is None:
        return
    stored = model._base_manager.using(using).filter(pk=instance.pk).values(*parents).first()
    setattr(
        instance,
        LEFT_BEHIND,
        {
            kind: [stored[parent]]
            for parent, kind in parents.items()
            if stored and stored[parent] is not None and stored[parent] != getattr(instance, parent)
        },
    )


def _before_delete(sender, instance, using=DEFAULT_DB_ALIAS, **kwargs):
    if sender._meta.concrete_model is Speaker:
        presented = Announcement._base_manager.using(using).filter(presenters=instance.pk)
        setattr(
            instance, LEFT_BEHIND, {"announcements": list(presented.values_list("pk", flat=True))}
        )


def _row_changed(sender, instance, using=DEFAULT_DB_ALIAS, **kwargs):
    model = sender._meta.concrete_model
    # Rows of a many-to-many table Django made: ``_relation_changed`` reports them.
    if not _is_catalog(model) or model._meta.auto_created:
        return
    rule = ROW_CHANGES.get(model)
    changes = Changes()
    changes.add(**(rule(instance) if rule else UNKNOWN_ROW))
    changes.add(**instance.__dict__.pop(LEFT_BEHIND, {}))
    note_changes(using, **vars(changes))


def _relation_changed(sender, instance, action, model, pk_set, using=DEFAULT_DB_ALIAS, **kwargs):
    if not _is_catalog(sender):
        return
    cleared = f"{LEFT_BEHIND}_{sender._meta.label_lower}"
    if action == "pre_clear":
        # Marked once cleared, as every change is marked after it is written.
        setattr(instance, cleared, _related_pks(sender, instance, model, using))
        return
    if action == "post_clear":
        pk_set = instance.__dict__.pop(cleared, set())
    elif action not in ("post_add", "post_remove"):
        return
    own = RELATED_CHANGES.get(type(instance)._meta.concrete_model)
    other = RELATED_CHANGES.get(model._meta.concrete_model)
    changed = {}
    if own:
        changed.update(own([instance.pk]))
    if other and pk_set:
        changed.update(other(pk_set))
    if changed:
        note_changes(using, **changed)


def _related_pks(through, instance, model, using):
    """The pks of ``model`` related to ``instance`` through ``through``'s rows."""
    own_model = type(instance)._meta.concrete_model
    keys = {}
    for key in through._meta.concrete_fields:
        if key.is_relation:
            keys.setdefault(key.related_model._meta.concrete_model, key.attname)
    rows = through._base_manager.using(using).filter(**{keys[own_model]: instance.pk})
    return set(rows.values_list(keys[model._meta.concrete_model], flat=True))


def connect_signals():
    pre_save.connect(_before_save, dispatch_uid="talks-freshness-pre-save")
    pre_delete.connect(_before_delete, dispatch_uid="talks-freshness-pre-delete")
    post_save.connect(_row_changed, dispatch_uid="talks-freshness-post-save")
    post_delete.connect(_row_changed, dispatch_uid="talks-freshness-post-delete")
    m2m_changed.connect(_relation_changed, dispatch_uid="talks-freshness-relations")
