"""What a change to the catalog retires: the marks that stored responses are checked against.

A stored response (``talks.caching``) remembers the serial of the catalog when its rendering
began and the *scopes* it shows: ``conference:<id>`` for a conference and everything in it
(days, tracks, rooms, talks, their speakers' order and links, announcements), ``speaker:<id>``
for one speaker's own pages, ``catalog`` for the lists of the whole catalog (home, conference
and speaker lists, search, sitemap, unfiltered API lists). A change marks each scope it
touches with a new serial (``ChangeMark`` rows); a stored response is current while none of
its scopes carries a serial newer than its own. So an edit retires what shows it, and nothing
else:

- a conference's row, or any row inside it: that conference and the catalog-wide lists; a
  speaker's page shows the conferences of the talks on it, so it is retired too;
- a speaker's own row or links: the speaker, and the conferences they speak or present at
  (their talk pages, lists, schedules and exports print the name);
- a talk gaining or losing a speaker, an announcement a presenter: that speaker's pages too;
- an organization (shown beside speakers and announcements everywhere): everything.

Retiring everything gives the catalog a new *epoch* (a random number) rather than a newer
serial, so it also retires what was stored before a database was restored from a backup,
whose serials may be lower than the stored copies' (``manage.py retire_stored_responses``).

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
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

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
    Speaker,
    SpeakerLink,
    Talk,
    TalkLink,
    TalkSpeaker,
    Track,
)
from talks.models.base import Timestamped, newest_update_row
from talks.models.changes import ChangeMark

CATALOG = "catalog"
# The row counting every change: its serial is the catalog's.
COUNTER = "*"
# The row whose serial is the epoch: random, renewed to retire everything.
EPOCH = "epoch"
# Scopes upserted per statement: well under every engine's limit on parameters.
MARK_BATCH = 500


def conference_scope(pk):
    return f"conference:{pk}"


def speaker_scope(pk):
    return f"speaker:{pk}"


def record_scopes(record):
    """The scopes that one record's own page or API detail shows: its conference, or for a
    speaker the speaker and the conferences of the talks shown with them (``recent_talks``)."""
    model = record._meta.concrete_model
    if model is Conference:
        return [conference_scope(record.pk)]
    if model is Speaker:
        talks = getattr(record, "recent_talks", [])
        return [speaker_scope(record.pk), *{conference_scope(t.conference_id) for t in talks}]
    return [conference_scope(record.conference_id)]


@dataclass
class Changes:
    """Changed rows, by what their scopes follow from. ``talks`` and ``announcements`` stand
    for their conferences, ``speakers`` for edits of a speaker's own record (their
    conferences too), ``speaker_pages`` for speakers whose list of talks changed."""

    conferences: set = field(default_factory=set)
    talks: set = field(default_factory=set)
    announcements: set = field(default_factory=set)
    speakers: set = field(default_factory=set)
    speaker_pages: set = field(default_factory=set)
    everything: bool = False

    def add(
        self,
        *,
        conferences=(),
        talks=(),
        announcements=(),
        speakers=(),
        speaker_pages=(),
        everything=False,
    ):
        self.conferences.update(conferences)
        self.talks.update(talks)
        self.announcements.update(announcements)
        self.speakers.update(speakers)
        self.speaker_pages.update(speaker_pages)
        self.everything |= everything

    def __bool__(self):
        return bool(
            self.everything
            or self.conferences
            or self.talks
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
    """Retire every stored response, e.g. after rows were written behind the signals."""
    note_changes(using, everything=True)


def mark(changes, using=DEFAULT_DB_ALIAS):
    """Give every scope ``changes`` touch a new serial, in one transaction."""
    connection = connections[using]
    # A transaction bound to roll back (a dry run) changes nothing, and marks nothing.
    if not changes or (connection.in_atomic_block and connection.needs_rollback):
        return
    scopes = [(scope, None) for scope in sorted(_scopes(changes, using))]
    if changes.everything:
        scopes.append((EPOCH, new_epoch()))
    now_ms = int(time.time() * 1000)
    table = connection.ops.quote_name(ChangeMark._meta.db_table)
    upsert = f"INSERT INTO {table} (scope, serial, changed_ms) VALUES {{rows}} ON CONFLICT (scope) "
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute(
            upsert.format(rows="(%s, 1, %s)")
            + f"DO UPDATE SET serial = {table}.serial + 1, changed_ms = excluded.changed_ms "
            "RETURNING serial",
            [COUNTER, now_ms],
        )
        (serial,) = cursor.fetchone()
        for start in range(0, len(scopes), MARK_BATCH):
            batch = scopes[start : start + MARK_BATCH]
            cursor.execute(
                upsert.format(rows=", ".join(["(%s, %s, %s)"] * len(batch)))
                + "DO UPDATE SET serial = excluded.serial, changed_ms = excluded.changed_ms",
                [value for scope, own in batch for value in (scope, own or serial, now_ms)],
            )


def new_epoch():
    return random.SystemRandom().randrange(1, 2**62)


def _scopes(changes, using):
    conferences = set(changes.conferences)
    if changes.talks:
        talks = Talk._base_manager.using(using).filter(pk__in=changes.talks)
        conferences.update(talks.values_list("conference_id", flat=True))
    if changes.announcements:
        announcements = Announcement._base_manager.using(using).filter(pk__in=changes.announcements)
        conferences.update(announcements.values_list("conference_id", flat=True))
    if changes.speakers:
        spoken = TalkSpeaker._base_manager.using(using).filter(speaker_id__in=changes.speakers)
        conferences.update(spoken.values_list("talk__conference_id", flat=True))
        presented = Announcement._base_manager.using(using).filter(presenters__in=changes.speakers)
        conferences.update(presented.values_list("conference_id", flat=True))
    speakers = changes.speakers | changes.speaker_pages
    return {
        CATALOG,
        *(conference_scope(pk) for pk in conferences if pk is not None),
        *(speaker_scope(pk) for pk in speakers),
    }


@dataclass(frozen=True)
class Marks:
    """The catalog's epoch and serial, and the marks of some scopes, as read at one moment."""

    epoch: int
    serial: int
    scopes: dict  # scope: (serial, changed_ms)

    @property
    def version(self):
        """What a copy rendered from now on is current as of: (epoch, serial)."""
        return (self.epoch, self.serial)

    def newest(self, scopes):
        """The newest mark among ``scopes``: (serial, changed_ms), or (0, 0) if none has one."""
        return max((self.scopes[s] for s in scopes if s in self.scopes), default=(0, 0))

    def current(self, version, scopes):
        """Whether a copy of ``scopes`` rendered as of ``version`` is still current: same epoch,
        no scope changed since, and a serial the catalog has reached (a database restored
        from a backup may count lower)."""
        epoch, serial = version
        return epoch == self.epoch and self.newest(scopes)[0] <= serial <= self.serial


def read_marks(scopes=(), using=DEFAULT_DB_ALIAS):
    """The catalog's epoch and serial and the marks of ``scopes``, in one query."""
    wanted = [COUNTER, EPOCH, *scopes]
    connection = connections[using]
    table = connection.ops.quote_name(ChangeMark._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT scope, serial, changed_ms FROM {table} "
            f"WHERE scope IN ({', '.join(['%s'] * len(wanted))})",
            wanted,
        )
        found = {scope: (serial, changed_ms) for scope, serial, changed_ms in cursor.fetchall()}
    serial = found.pop(COUNTER, (0, 0))[0]
    epoch = found.pop(EPOCH, (0, 0))[0]
    return Marks(epoch, serial, found)


def catalog_last_change():
    """The newest ``updated_at`` of any catalog record, None for an empty catalog; one query."""
    newest = [
        newest_update_row(model._default_manager.all())
        for model in apps.get_app_config("talks").get_models()
        if issubclass(model, Timestamped) and not model._meta.proxy
    ]
    first, *others = newest
    return max(filter(None, first.union(*others, all=True)), default=None)


# --- What each kind of row touches -----------------------------------------------------------

# How a saved or deleted row of each model touches the catalog (``Changes.add`` arguments).
ROW_CHANGES = {
    Conference: lambda row: {"conferences": [row.pk]},
    Day: lambda row: {"conferences": [row.conference_id]},
    Track: lambda row: {"conferences": [row.conference_id]},
    Room: lambda row: {"conferences": [row.conference_id]},
    ConferenceLink: lambda row: {"conferences": [row.conference_id]},
    ConferenceSource: lambda row: {"conferences": [row.conference_id]},
    Talk: lambda row: {"conferences": [row.conference_id]},
    Announcement: lambda row: {"conferences": [row.conference_id]},
    TalkLink: lambda row: {"talks": [row.talk_id]},
    TalkSpeaker: lambda row: {"talks": [row.talk_id], "speaker_pages": [row.speaker_id]},
    AnnouncementLink: lambda row: {"announcements": [row.announcement_id]},
    AnnouncementItem: lambda row: {"announcements": [row.announcement_id]},
    Speaker: lambda row: {"speakers": [row.pk]},
    SpeakerLink: lambda row: {"speakers": [row.speaker_id]},
    Organization: lambda row: {"everything": True},
}
# A model of the app without a rule retires everything: safe, if not precise.
UNKNOWN_ROW = {"everything": True}

# Rows whose conference an editor can change: the one they leave is touched too.
MOVABLE = (Day, Track, Room, Talk, Announcement)

# Either side of a many-to-many relation: what its rows touch (Organization: nothing shown).
RELATED_CHANGES = {
    Talk: lambda pks: {"talks": pks},
    Speaker: lambda pks: {"speaker_pages": pks},
    Announcement: lambda pks: {"announcements": pks},
}


def _is_catalog(model):
    return model._meta.app_label == "talks" and model is not ChangeMark


def _before_save(sender, instance, raw=False, using=DEFAULT_DB_ALIAS, **kwargs):
    model = sender._meta.concrete_model
    if raw or model not in MOVABLE or instance._state.adding:
        return
    stored = model._base_manager.using(using).filter(pk=instance.pk)
    before = stored.values_list("conference_id", flat=True).first()
    if before is not None and before != instance.conference_id:
        note_changes(using, conferences=[before])


def _row_changed(sender, instance, using=DEFAULT_DB_ALIAS, **kwargs):
    model = sender._meta.concrete_model
    # Rows of a many-to-many table Django made: ``_relation_changed`` reports them.
    if not _is_catalog(model) or model._meta.auto_created:
        return
    rule = ROW_CHANGES.get(model)
    note_changes(using, **(rule(instance) if rule else UNKNOWN_ROW))


def _relation_changed(sender, instance, action, model, pk_set, using=DEFAULT_DB_ALIAS, **kwargs):
    if not _is_catalog(sender) or action not in ("post_add", "post_remove", "pre_clear"):
        return
    if action == "pre_clear":
        pk_set = _related_pks(sender, instance, model, using)
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
    post_save.connect(_row_changed, dispatch_uid="talks-freshness-post-save")
    post_delete.connect(_row_changed, dispatch_uid="talks-freshness-post-delete")
    m2m_changed.connect(_relation_changed, dispatch_uid="talks-freshness-relations")
