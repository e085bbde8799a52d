"""How close a title or name is to the words searched, by trigrams, as PostgreSQL's pg_trgm
measures it (``word_similarity``), for the engine that has no pg_trgm: SQLite.

Each word is folded (``terms.fold``), padded with two spaces before and one after, and cut into
its runs of three characters: "word" gives "  w", " wo", "wor", "ord", "rd ". The similarity of
a text to the query is the best, over every run of consecutive trigrams of the text, of the
trigrams shared with the query over the trigrams of either: 1 when the text holds the query's
words, 0.67 for "securign" in "Securing containers". pg_trgm's word_similarity threshold, 0.6,
is where a near-miss starts on both engines.
"""

from functools import lru_cache

from .terms import WORD, fold

# pg_trgm's default pg_trgm.word_similarity_threshold.
NEAR_MISS_THRESHOLD = 0.6


def word_trigrams(word):
    """The trigrams of one folded ``word``, in order, as pg_trgm pads and cuts it."""
    padded = f"  {word} "
    return [padded[index : index + 3] for index in range(len(padded) - 2)]


def trigrams(text):
    """The trigrams of each word of ``text``, in order (a word's trigrams do not span words)."""
    folded = text.lower() if text.isascii() else fold(text)  # most titles: no accent to fold
    return [trigram for word in WORD.findall(folded) for trigram in word_trigrams(word)]


@lru_cache(maxsize=64)  # a search measures up to 200 titles of each kind against one query
def _query_trigrams(query):
    return frozenset(trigrams(query))


def word_similarity(query, text):
    """How closely some consecutive words of ``text`` match all of ``query``, from 0 to 1."""
    wanted = _query_trigrams(query)
    ordered = trigrams(text or "")
    if not wanted or not ordered:
        return 0.0
    # A run starting or ending on a trigram the query lacks is worse than the same run
    # without it, so only runs from one shared trigram to another need measuring.
    shared = [index for index, trigram in enumerate(ordered) if trigram in wanted]
    best = 0.0
    for start_at, start in enumerate(shared):
        if (len(shared) - start_at) / len(wanted) <= best:
            break  # the runs from here share too few trigrams to do better
        seen, common = set(), 0
        for end in range(start, shared[-1] + 1):
            trigram = ordered[end]
            if trigram not in seen:
                seen.add(trigram)
                common += trigram in wanted
            if trigram in wanted:  # the run ends on a shared trigram: measure it
                best = max(best, common / (len(wanted) + len(seen) - common))
    return best
