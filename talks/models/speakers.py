"""Speakers and their links."""

import unicodedata

from anyascii import anyascii
from django.db import models
from django.db.models import OuterRef, Prefetch
from django.urls import reverse
from django.utils.text import slugify

from .base import (
    ChildManager,
    Link,
    LongTextField,
    Timestamped,
    built_once,
    last_change,
    newest_update,
    row_count,
)
from .organizations import Organization

NAME_KEY_MAX_LENGTH = 200
# Quote marks that sources use for one another: a name's apostrophe is typed as a straight
# quote, a right single quotation mark, a modifier letter apostrophe or a grave accent.
_QUOTES = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "`": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
    }
)


def name_key(name):
    """What spellings of one person's name share: Unicode width, case, spacing and quote
    marks folded ("Guido Van Rossum" and "guido van rossum" are one; "Albert O'Connor" spelt
    with a straight or a curly apostrophe too). Accents are kept: "Adam Stevko" and "Adam
    Števko" may be two people, so ``speaker_duplicates`` lists them for an editor instead."""
    folded = unicodedata.normalize("NFKC", name).translate(_QUOTES).casefold()
    # Folding may lengthen a name ("ß" is "ss"): the key fits its column.
    return " ".join(folded.split())[:NAME_KEY_MAX_LENGTH]


def without_accents(key):
    """``key`` with its letters' accents taken off: candidates for one person."""
    decomposed = unicodedata.normalize("NFKD", key)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _slugify_spells(char):
    """Whether ``slugify`` keeps something of ``char``: ASCII, or a letter whose decomposition
    starts with one (é, ñ, å); it drops everything else (ß, ø, ł, other scripts)."""
    return char.isascii() or unicodedata.normalize("NFKD", char)[:1].isascii()


def readable_slug(name):
    """``slugify(name)``, with every character slugify would drop transliterated first, so
    "Samuel Groß" is ``samuel-gross`` and "Иван Петров" ``ivan-petrov``. Names slugify can
    spell (ASCII, accented Latin letters) keep exactly its slug: "Diogo Mónica" stays
    ``diogo-monica``."""
    return slugify("".join(char if _slugify_spells(char) else anyascii(char) for char in name))


class SpeakerQuerySet(models.QuerySet):
    def with_recent_talks(self, shown, talks=None):
        """Speakers with ``talk_count`` and, as ``recent_talks``, their ``shown`` newest talks
        (each with its conference and day, or as ``talks`` fetches them): an entry stays the
        same size however many talks the speaker gave."""
        from .talks import Talk, TalkSpeaker

        if talks is None:
            talks = Talk.objects.select_related("conference", "day")
        return self.annotate(
            talk_count=row_count(
                TalkSpeaker.objects.filter(speaker=OuterRef("pk"), talk__published=True)
            )
        ).prefetch_related(
            Prefetch("talks", queryset=talks.in_speaker_order()[:shown], to_attr="recent_talks")
        )

    def for_listing(self, talks_shown):
        """The speaker list: speakers with their organization and newest talks, with only the
        columns the list shows; building the models of every column of 250 talks and their
        conferences took a third of the page's time."""
        from .talks import Talk

        return (
            self.select_related("organization")
            .only("slug", "name", "role", "organization__name")
            .with_recent_talks(
                talks_shown,
                Talk.objects.select_related("conference").only(
                    "slug", "title", "conference__slug", "conference__name"
                ),
            )
        )

    def for_detail(self, announcements_shown):
        """A speaker with links and, as ``recent_announcements``, the ``announcements_shown``
        newest announcements they made (their talks are paged apart:
        ``Talk.objects.in_speaker_order()``)."""
        from .announcements import Announcement

        return (
            self.select_related("organization")
            .annotate(
                announcement_count=row_count(
                    Announcement.presenters.through.objects.filter(speaker=OuterRef("pk"))
                )
            )
            .prefetch_related(
                "links",
                Prefetch(
                    "announcements",
                    queryset=Announcement.objects.select_related("conference", "talk").order_by(
                        models.F("conference__start_date").desc(nulls_last=True),
                        "conference__slug",
                        "position",
                        "id",
                    )[:announcements_shown],
                    to_attr="recent_announcements",
                ),
            )
        )

    def for_api(self, talks_shown):
        """The API: speakers with their organization, newest talks and links."""
        return (
            self.select_related("organization")
            .with_recent_talks(talks_shown)
            .prefetch_related("links")
        )

    def with_last_change(self):
        """Each speaker with ``last_change``: the newest change to them, their organization,
        their talks or the announcements they made, the date of their page."""
        return self.annotate(last_change=self._last_change())

    @staticmethod
    @built_once
    def _last_change():
        from .announcements import Announcement
        from .talks import Talk

        return last_change(
            "organization__updated_at",
            newest_update(Talk.everything.filter(talk_speakers__speaker=OuterRef("pk"))),
            newest_update(Announcement.objects.filter(presenters=OuterRef("pk"))),
        )


class SpeakerManager(models.Manager.from_queryset(SpeakerQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Speaker(Timestamped, models.Model):
    slug = models.SlugField(
        max_length=100, unique=True, help_text="slugify(name), with a suffix only on a clash."
    )
    name = models.CharField(max_length=200, db_index=True)
    name_key = models.CharField(
        max_length=200,
        db_index=True,
        editable=False,
        default="",
        help_text="The name with case, spacing and quote marks folded: imports find the "
        "speaker by it.",
    )
    role = models.CharField(max_length=200, blank=True, help_text="Role or job title.")
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="speakers",
    )
    bio = LongTextField(blank=True)
    note = LongTextField(blank=True)

    objects = SpeakerManager()
    derived_fields = {"name_key": ("name", lambda name: name_key(name))}

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # Renamed to another key ("Guido van Rossum (BDFL)"): imports crediting the old name
        # still find this speaker.
        stored = getattr(self, "_stored_name_key", None)
        if stored and stored != self.name_key:
            SpeakerAlias.objects.get_or_create(speaker=self, name_key=stored)
        self._stored_name_key = self.name_key

    def get_absolute_url(self):
        return reverse("talks:speaker-detail", args=[self.slug])

    def natural_key(self):
        return (self.slug,)

    @classmethod
    def from_db(cls, db, field_names, values):
        speaker = super().from_db(db, field_names, values)
        speaker._stored_name_key = speaker.__dict__.get("name_key")
        return speaker

    @classmethod
    def _slugs_taken(cls, **lookup):
        """The slugs of speakers and of merged speakers matching ``lookup``, in one query."""
        speakers = cls.objects.filter(**lookup).order_by().values_list("slug", flat=True)
        merged = SpeakerAlias.objects.filter(**lookup).order_by().values_list("slug", flat=True)
        return speakers.union(merged, all=True)

    @classmethod
    def unique_slug_for(cls, name):
        return cls.unique_slugs_for([name])[0]

    @classmethod
    def unique_slugs_for(cls, names):
        """The slug of each new speaker named in ``names``: ``readable_slug(name)``, with a
        numeric suffix only when another speaker, or an earlier name, already has it. One
        query for all, plus one per slug already taken."""
        room = cls._meta.get_field("slug").max_length - len("-9999")
        bases = [readable_slug(name)[:room].strip("-") or "speaker" for name in names]
        # A merged speaker's slug stays taken: its address redirects to the speaker it joined.
        taken = set(cls._slugs_taken(slug__in=set(bases)))
        suffixed = set()
        slugs = []
        for base in bases:
            slug, suffix = base, 2
            if slug in taken and base not in suffixed:
                suffixed.add(base)
                taken.update(cls._slugs_taken(slug__startswith=f"{base}-"))
            while slug in taken:
                slug, suffix = f"{base}-{suffix}", suffix + 1
            taken.add(slug)
            slugs.append(slug)
        return slugs


class SpeakerAliasManager(models.Manager):
    def get_by_natural_key(self, speaker_slug, key):
        return self.get(speaker__slug=speaker_slug, name_key=key)


class SpeakerAlias(models.Model):
    """A speaker merged into ``speaker``, or a name ``speaker`` had before an editor changed
    it: imports of that name find the speaker, and a merged speaker's address redirects to
    it (as pyvideo keeps its own redirects)."""

    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="aliases")
    # Not unique: two speakers merged into one may have shared a key.
    name_key = models.CharField(max_length=200, db_index=True)
    # A merged speaker's slug; none for a speaker's own former name.
    slug = models.SlugField(max_length=100, unique=True, null=True, blank=True)

    objects = SpeakerAliasManager()

    class Meta:
        verbose_name_plural = "speaker aliases"

    def __str__(self):
        return f"{self.name_key} → {self.speaker}"

    def natural_key(self):
        return (self.speaker.slug, self.name_key)


class SpeakerLink(Link):
    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="links")

    natural_key_fields = ("speaker", "url")
    objects = ChildManager()

    class Meta(Link.Meta):
        constraints = [
            models.UniqueConstraint(fields=["speaker", "url"], name="unique_speaker_link")
        ]


def merge_speakers(kept, merged):
    """One person, one speaker: each of ``merged`` hands ``kept`` its talks (keeping its place
    on stage), the announcements it presented and the links ``kept`` lacks, fills what
    ``kept`` leaves empty (role, organization, bio), and leaves its name's key and its slug as
    aliases of ``kept``; then it is deleted. Returns the ids of the talks that changed hands."""
    from .announcements import Announcement
    from .talks import TalkSpeaker

    presented = Announcement.presenters.through.objects
    moved = set()
    for speaker in merged:
        if speaker.pk == kept.pk:
            continue
        roles = TalkSpeaker.objects.filter(speaker=speaker)
        moved.update(roles.values_list("talk_id", flat=True))
        # A talk both gave: one place on its stage, the kept speaker's.
        roles.filter(talk__talk_speakers__speaker=kept).delete()
        roles.update(speaker=kept)
        presented.filter(speaker=speaker, announcement__presenters=kept).delete()
        presented.filter(speaker=speaker).update(speaker=kept)
        SpeakerLink.objects.filter(speaker=speaker).exclude(
            url__in=kept.links.values("url")
        ).update(speaker=kept)
        for field in ("role", "bio", "note"):
            if not getattr(kept, field):
                setattr(kept, field, getattr(speaker, field))
        kept.organization_id = kept.organization_id or speaker.organization_id
        SpeakerAlias.objects.filter(speaker=speaker).update(speaker=kept)
        # Its slug may have been a merged speaker's before an editor gave it to this one.
        SpeakerAlias.objects.filter(slug=speaker.slug).delete()
        SpeakerAlias.objects.create(speaker=kept, name_key=speaker.name_key, slug=speaker.slug)
        speaker.delete()
    kept.save()
    return moved
