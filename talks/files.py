"""Files the catalog reads from people (catalog YAML, schedules, pyvideo folders): read within
limits, so one hostile file costs seconds and megabytes, not a worker. The size is checked
before reading, the number of values before parsing JSON and XML and while composing YAML.
"""

import json
from dataclasses import dataclass
from pathlib import Path

from yaml.composer import Composer, ComposerError
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.cyaml import CParser
from yaml.events import AliasEvent
from yaml.resolver import Resolver

MEGABYTE = 1024 * 1024
DEFAULT_MAX_MEGABYTES = 50
DEFAULT_MAX_BYTES = DEFAULT_MAX_MEGABYTES * MEGABYTE
# Values a file may hold: YAML nodes, JSON values, XML elements and attributes. A file under the
# size limit can still hold millions of tiny ones ("[1,1,1,..." or "<a/><a/>..."), each costing
# tens to hundreds of bytes once parsed. The largest real files hold far fewer: FOSDEM 2021's
# schedule (773 events) has 21,590 XML elements and attributes, and its catalog export 126,486
# YAML nodes. See docs/performance.md, "Hostile files", for what the limit costs at most.
DEFAULT_MAX_VALUES = 250_000
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


@dataclass(frozen=True)
class Limits:
    """What one file may cost: its size in bytes and how many values it may hold."""

    bytes: int = DEFAULT_MAX_BYTES
    values: int = DEFAULT_MAX_VALUES


DEFAULT_LIMITS = Limits()


def add_limit_options(parser):
    parser.add_argument(
        "--max-size",
        type=float,
        default=DEFAULT_MAX_MEGABYTES,
        metavar="MB",
        help=f"Refuse files larger than this many megabytes (default {DEFAULT_MAX_MEGABYTES}).",
    )
    parser.add_argument(
        "--max-values",
        type=int,
        default=DEFAULT_MAX_VALUES,
        metavar="N",
        help="Refuse files holding more than this many values: YAML nodes, JSON values, XML "
        f"elements and attributes (default {DEFAULT_MAX_VALUES:,}).",
    )


def limits(max_size, max_values):
    """The ``Limits`` of the options ``add_limit_options`` adds."""
    return Limits(int(max_size * MEGABYTE), max_values)


def _refuse_over(count, limit, what):
    if count > limit:
        raise FileRefused(f"the file has more than {limit:,} {what}, the limit (see --max-values)")


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


def load_json(raw, max_values):
    """The JSON value of ``raw`` bytes (UTF-8, with or without a byte order mark), refused
    unparsed when it may hold more than ``max_values`` values: every value but the outermost
    follows a "[", a "{" or a ",", so counting those bounds the values from above (brackets and
    commas inside strings count too, so the bound can be high; a real schedule's is 10 to 50%
    above its values). ``json`` errors pass through to the caller, which names the file."""
    count = 1 + raw.count(b"[") + raw.count(b"{") + raw.count(b",")
    _refuse_over(count, max_values, "values (counted as its brackets and commas)")
    return json.loads(raw.decode("utf-8-sig"))


def check_xml(raw, max_values):
    """Refuse ``raw`` XML before parsing when it may hold more than ``max_values`` elements and
    attributes: every element opens with a "<" that is not "</", every attribute has its "=".
    An "=" in text or in a value (a URL's query) counts too, so this bounds them from above,
    closely in practice (1% above the real count in FOSDEM 2021's schedule); counting while
    parsing would come too late for one element with millions of attributes."""
    count = raw.count(b"<") - raw.count(b"</") + raw.count(b"=")
    _refuse_over(count, max_values, "elements and attributes (counted as its tags and = signs)")


class BoundedLoader(Composer, CParser, SafeConstructor, Resolver):
    """PyYAML's safe loader, refusing alias bombs, deep nesting, duplicate keys, tags that are
    not plain data, and more than ``max_nodes`` nodes (``FileRefused``): every node costs
    hundreds of bytes until the document is built, and the count is checked as each one is
    read, so a refused file never costs more than ``max_nodes`` of them.

    The parts are those of ``yaml.SafeLoader`` but the parser: libyaml's (``CParser``, built
    into every PyYAML wheel) reads the text in C, and PyYAML's composer (first in line, so its
    Python methods and the checks below are the ones called) builds the nodes from its events.
    PyYAML's own parser took two minutes for a 50 MB file of long strings, libyaml's takes
    about a second; ``yaml.CSafeLoader`` would compose in C too, where no check sees a node."""

    def __init__(self, stream, max_nodes=DEFAULT_MAX_VALUES):
        CParser.__init__(self, stream)
        Composer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)
        self.aliases = 0
        self.depth = 0
        self.nodes = 0
        self.max_nodes = max_nodes

    def compose_node(self, parent, index):
        self.nodes += 1
        _refuse_over(self.nodes, self.max_nodes, "nodes")
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


def load_yaml(stream, max_nodes=DEFAULT_MAX_VALUES):
    """The YAML document of ``stream``: text, or UTF-8 bytes (with or without a byte order
    mark), refused past ``max_nodes`` nodes."""
    # What yaml.load does, with the safe loader's parts: as safe as yaml.safe_load, with the
    # limits above.
    loader = BoundedLoader(stream, max_nodes)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()
