"""Files the catalog reads from people (catalog YAML, schedules, pyvideo folders): read within
limits, before any parsing, so one hostile file costs seconds and megabytes, not a worker.
"""

from pathlib import Path

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError
from yaml.events import AliasEvent

MEGABYTE = 1024 * 1024
DEFAULT_MAX_MEGABYTES = 50
DEFAULT_MAX_BYTES = DEFAULT_MAX_MEGABYTES * MEGABYTE
# Aliases (and merge keys) a catalog file may use: a few to share a value, never a tree of
# thousands that expands to gigabytes (an alias bomb).
MAX_ALIASES = 20
MAX_DEPTH = 50
# The tags of plain YAML data; !!binary, !!set, !!python/... and local tags are refused.
PLAIN_TAGS = {
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map", "merge")
}


class FileRefused(Exception):
    """A file the catalog will not parse, and why."""


def add_size_option(parser):
    parser.add_argument(
        "--max-size",
        type=float,
        default=DEFAULT_MAX_MEGABYTES,
        metavar="MB",
        help=f"Refuse files larger than this many megabytes (default {DEFAULT_MAX_MEGABYTES}).",
    )


def max_bytes(megabytes):
    return int(megabytes * MEGABYTE)


def read_bytes(path, limit):
    """The file's bytes, refused unread when it is larger than ``limit`` bytes."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > limit:
            raise FileRefused(
                f"the file is {size:,} bytes, over the limit of {limit:,} (see --max-size)"
            )
        with path.open("rb") as file:
            data = file.read(limit + 1)
    except OSError as exc:
        raise FileRefused(f"cannot read the file: {exc}") from exc
    if len(data) > limit:  # it grew while being read
        raise FileRefused(f"the file is over the limit of {limit:,} bytes (see --max-size)")
    return data


class BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing alias bombs, deep nesting, duplicate keys and tags
    that are not plain data."""

    def __init__(self, stream):
        super().__init__(stream)
        self.aliases = 0
        self.depth = 0

    def compose_node(self, parent, index):
        if self.check_event(AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise ComposerError(
                    None, None, f"more than {MAX_ALIASES} aliases", self.peek_event().start_mark
                )
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ComposerError(
                None, None, f"nested deeper than {MAX_DEPTH} levels", self.peek_event().start_mark
            )
        try:
            node = super().compose_node(parent, index)
        finally:
            self.depth -= 1
        if node.tag not in PLAIN_TAGS:
            raise ComposerError(
                None, None, f"the tag {node.tag} is not plain data", node.start_mark
            )
        return node

    def flatten_mapping(self, node):
        merges = sum(key.tag == "tag:yaml.org,2002:merge" for key, _ in node.value)
        self.aliases += merges
        if self.aliases > MAX_ALIASES:
            raise ConstructorError(
                None, None, f"more than {MAX_ALIASES} aliases and merge keys", node.start_mark
            )
        super().flatten_mapping(node)

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=True)
            try:
                duplicate = key in seen
            except TypeError:
                raise ConstructorError(
                    None, None, "a key that is not plain text or a number", key_node.start_mark
                ) from None
            if duplicate:
                raise ConstructorError(
                    None, None, f"the key “{key}” appears twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep)


def load_yaml(text):
    # yaml.load with a SafeLoader subclass: as safe as yaml.safe_load, with the limits above.
    return yaml.load(text, Loader=BoundedLoader)
