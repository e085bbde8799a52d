"""Records rendered once and reused: fragments keyed by a record and the versions of everything
they show, so that a list is assembled from them and an edit renders only its own rows again.

A key names one rendering exactly (the ``updated_at`` of each record shown is in it), so a
fragment is never stale and needs no invalidation: an edit makes new keys, and the old ones
age out. They are kept per process, in memory, bounded (least recently used first out): no
network hop, nothing shared to keep consistent, and nothing lost when Redis is.
"""

import threading
from collections import OrderedDict

# Fragments each process keeps: a talk as the API lists it is a few KB of Python objects.
CAPACITY = 4096


class FragmentCache:
    def __init__(self, capacity=CAPACITY):
        self.capacity = capacity
        self._entries = OrderedDict()
        self._lock = threading.Lock()

    def render_all(self, keys, render_missing):
        """The fragments kept under ``keys``, in order; those not kept yet come from
        ``render_missing(missing_keys)``, a dict of key to fragment (a key it leaves out, a
        record deleted meanwhile, is left out of the answer)."""
        with self._lock:
            found = {k: self._entries[k] for k in keys if k in self._entries}
            for k in found:
                self._entries.move_to_end(k)
        missing = [k for k in keys if k not in found]
        rendered = render_missing(missing) if missing else {}
        if rendered:
            with self._lock:
                self._entries.update(rendered)
                while len(self._entries) > self.capacity:
                    self._entries.popitem(last=False)
        found.update(rendered)
        return [found[k] for k in keys if k in found]

    def render_each(self, records, key, render):
        """``render(record)`` for each of ``records``, in order, reusing what was rendered
        under the same ``key(record)`` before."""
        keys = [key(record) for record in records]
        keyed = dict(zip(keys, records, strict=True))
        return self.render_all(keys, lambda missing: {k: render(keyed[k]) for k in missing})

    def render(self, key, render):
        """``render()``, or what it gave under the same ``key`` before."""
        [rendered] = self.render_all([key], lambda missing: {key: render()})
        return rendered

    def clear(self):
        with self._lock:
            self._entries.clear()


fragments = FragmentCache()


def render_talks(rows, records, render, shared=()):
    """The fragments of the talks given as (id, conference id) rows, in their order, each kept
    under ``shared`` and the marks of the talk's scopes (``freshness.talk_scopes``); a talk
    none is kept for is read from ``records`` (a QuerySet with what ``render`` needs) and
    rendered by ``render(talk)``. One query for the marks, and one (with its prefetches) for
    the talks not kept, whatever the number of rows; a talk deleted meanwhile is left out."""
    from .freshness import read_marks, talk_scopes  # it imports the models; this module not

    scopes = {row: talk_scopes(*row) for row in rows}
    # Read before the talks are: a change committed meanwhile has a newer mark.
    marks = read_marks([scope for pair in scopes.values() for scope in pair])
    keys = {(*shared, marks.epoch, row, marks.newest(scopes[row])): row for row in rows}

    def render_missing(missing):
        talk_keys = {keys[key][0]: key for key in missing}
        return {talk_keys[talk.pk]: render(talk) for talk in records.filter(pk__in=talk_keys)}

    return fragments.render_all(list(keys), render_missing)


def version(record):
    """When ``record`` (or None) last changed, for a fragment's key."""
    return None if record is None else (record.pk, record.updated_at)
