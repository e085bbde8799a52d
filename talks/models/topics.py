"""Topics: what talks are about, across every conference (pyvideo's tags, edited here).

Sources spell one subject many ways ("Lightning Talks", "lightning-talk", "lightning talks"):
``topic_key`` is what they share, and a topic is found by its key, or by the key of a topic
merged into it (``TopicAlias``), so a later import never splits what an editor merged.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import OuterRef
from django.urls import reverse
from django.utils.text import slugify

from .base import Timestamped, row_count

TOPIC_NAME_MAX_LENGTH = 100
_SEPARATORS = re.compile(r"[\s_\-]+")
# Endings of singular words that a plural "s" must not be taken from: "analysis", "class",
# "status"; words of three letters or fewer ("aws", "ios", "gis") are left as they are.
_NOT_PLURAL = ("ss", "us", "is")


def _singular(word):
    if len(word) <= 3 or word.endswith(_NOT_PLURAL):
        return word
    if word.endswith("ies") and len(word) > 4:
        return f"{word[:-3]}y"
    return word.removesuffix("s")


def topic_name(tag):
    """A tag as a topic's name: spaces collapsed, a hashtag's "#" dropped ("#Python")."""
    return " ".join(tag.split()).lstrip("#").strip()


def topic_key(name):
    """What spellings of one topic share: case, width, spaces, hyphens, underscores and a
    hashtag's "#" folded, and a plural last word made singular ("Lightning-Talks" and
    "lightning talk" are both ``lightning talk``). "" for a name of separators alone."""
    folded = unicodedata.normalize("NFKC", topic_name(name)).casefold()
    words = [word for word in _SEPARATORS.split(folded) if word]
    if not words:
        return ""
    # Folding may lengthen a name ("ß" is "ss"): the key fits its column.
    return " ".join([*words[:-1], _singular(words[-1])])[:TOPIC_NAME_MAX_LENGTH]


class TopicQuerySet(models.QuerySet):
    def with_talk_count(self):
        """Each topic with ``talk_count``: its published talks."""
        return self.annotate(
            talk_count=row_count(
                TalkTopic.objects.filter(topic=OuterRef("pk"), talk__published=True)
            )
        )

    def most_talked_about(self):
        return self.with_talk_count().order_by("-talk_count", "name", "pk")


class TopicManager(models.Manager.from_queryset(TopicQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Topic(Timestamped, models.Model):
    slug = models.SlugField(max_length=TOPIC_NAME_MAX_LENGTH, unique=True)
    name = models.CharField(max_length=TOPIC_NAME_MAX_LENGTH)
    key = models.CharField(
        max_length=TOPIC_NAME_MAX_LENGTH,
        unique=True,
        editable=False,
        help_text="The name folded (case, spacing, hyphens, a plural): spellings that share "
        "it are this topic.",
    )

    objects = TopicManager()
    derived_fields = {"key": ("name", topic_key)}

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("talks:topic-detail", args=[self.slug])

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        key = topic_key(self.name)
        if not key:
            raise ValidationError({"name": "A topic needs a name of letters or digits."})
        same = Topic.objects.filter(key=key).exclude(pk=self.pk).first()
        alias = TopicAlias.objects.filter(key=key).exclude(topic_id=self.pk).first()
        other = same or (alias and alias.topic)
        if other:
            raise ValidationError(
                {"name": f"“{other.name}” is this topic already: merge the two instead."}
            )
        aliased = TopicAlias.objects.filter(slug=self.slug).exclude(topic_id=self.pk)
        if self.slug and aliased.exists():
            raise ValidationError({"slug": "A merged topic's address redirects from this slug."})

    @classmethod
    def taken_slugs(cls):
        return set(cls.objects.values_list("slug", flat=True)) | set(
            TopicAlias.objects.values_list("slug", flat=True)
        )

    @classmethod
    def slug_for(cls, key, taken):
        """A slug for a new topic of ``key`` not in ``taken`` (``taken_slugs()``, which it
        joins)."""
        base = slugify(key)[: TOPIC_NAME_MAX_LENGTH - 5].strip("-") or "topic"
        slug, suffix = base, 2
        while slug in taken:
            slug, suffix = f"{base}-{suffix}", suffix + 1
        taken.add(slug)
        return slug


class TopicAliasManager(models.Manager):
    def get_by_natural_key(self, key):
        return self.get(key=key)


class TopicAlias(models.Model):
    """The key and slug of a topic merged into ``topic``: imports of its spellings find the
    topic it became, and its address redirects there."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="aliases")
    key = models.CharField(max_length=TOPIC_NAME_MAX_LENGTH, unique=True)
    slug = models.SlugField(max_length=TOPIC_NAME_MAX_LENGTH, unique=True)

    objects = TopicAliasManager()

    class Meta:
        verbose_name_plural = "topic aliases"

    def __str__(self):
        return f"{self.key} → {self.topic}"

    def natural_key(self):
        return (self.key,)


class TalkTopicManager(models.Manager):
    def get_by_natural_key(self, conference_slug, talk_slug, topic_slug):
        return self.get(
            talk__conference__slug=conference_slug, talk__slug=talk_slug, topic__slug=topic_slug
        )


class TalkTopic(models.Model):
    talk = models.ForeignKey("talks.Talk", on_delete=models.CASCADE, related_name="talk_topics")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="topic_talks")

    objects = TalkTopicManager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["talk", "topic"], name="unique_talk_topic")]

    def __str__(self):
        return f"{self.talk} on {self.topic}"

    def natural_key(self):
        return (*self.talk.natural_key(), *self.topic.natural_key())


def merge_topics(kept, merged):
    """Move the talks of each topic of ``merged`` to ``kept``, make their keys and slugs
    aliases of it (with the aliases they had), and delete them. Returns the talks moved."""
    merged = [topic for topic in merged if topic.pk != kept.pk]
    ids = [topic.pk for topic in merged]
    already = set(TalkTopic.objects.filter(topic=kept).values_list("talk_id", flat=True))
    moved = set(TalkTopic.objects.filter(topic_id__in=ids).values_list("talk_id", flat=True))
    TopicAlias.objects.filter(topic_id__in=ids).update(topic=kept)
    # A key or slug the kept topic took back from one of its aliases is its own again.
    TopicAlias.objects.filter(
        models.Q(key__in=[t.key for t in merged]) | models.Q(slug__in=[t.slug for t in merged])
    ).delete()
    TopicAlias.objects.bulk_create(
        [TopicAlias(topic=kept, key=topic.key, slug=topic.slug) for topic in merged]
    )
    TalkTopic.objects.bulk_create([TalkTopic(talk_id=t, topic=kept) for t in moved - already])
    Topic.objects.filter(pk__in=ids).delete()  # their TalkTopic rows go with them
    kept.save()  # its talks changed: a newer updated_at dates its page
    return moved
