"""The catalog's domain: conferences and what happened at them, a module per aggregate.

Every model has a natural key, so that fixtures and catalog YAML carry no database ids and
loading the same file twice updates rows instead of duplicating them. Validity rules live in
``clean()`` so that the admin, the API and the loaders all share them. Query sets that refer to
a model of another module import it inside the method: the modules import each other's models
only downwards (talks on conferences and speakers, announcements on talks).
"""

from .announcements import Announcement, AnnouncementItem, AnnouncementLink
from .base import (
    ChildManager,
    ChildNaturalKey,
    Link,
    LinkKind,
    TextFormat,
    Timestamped,
    WebAddressField,
    validate_time_zone,
)
from .changelog import ChangeKind, ScheduleChange, ScheduleVersion, VersionKind
from .changes import ChangeMark
from .conferences import (
    Conference,
    ConferenceKind,
    ConferenceLink,
    ConferenceSource,
    Day,
    Room,
    Track,
)
from .organizations import Organization
from .sources import CommandLock, ScheduleSource, SourceKind
from .speakers import Speaker, SpeakerAlias, SpeakerLink, merge_speakers, name_key
from .talks import Keynote, Talk, TalkKind, TalkLink, TalkSpeaker, TalkStatus
from .topics import TalkTopic, Topic, TopicAlias, merge_topics, topic_key, topic_name

__all__ = [
    "Announcement",
    "AnnouncementItem",
    "AnnouncementLink",
    "ChangeKind",
    "ChangeMark",
    "ChildManager",
    "ChildNaturalKey",
    "CommandLock",
    "Conference",
    "ConferenceKind",
    "ConferenceLink",
    "ConferenceSource",
    "Day",
    "Keynote",
    "Link",
    "LinkKind",
    "Organization",
    "Room",
    "ScheduleChange",
    "ScheduleSource",
    "ScheduleVersion",
    "SourceKind",
    "Speaker",
    "SpeakerAlias",
    "SpeakerLink",
    "Talk",
    "TalkKind",
    "TalkLink",
    "TalkSpeaker",
    "TalkStatus",
    "TalkTopic",
    "TextFormat",
    "Timestamped",
    "Topic",
    "TopicAlias",
    "Track",
    "VersionKind",
    "WebAddressField",
    "merge_speakers",
    "merge_topics",
    "name_key",
    "topic_key",
    "topic_name",
    "validate_time_zone",
]
