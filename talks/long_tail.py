"""Who speaks how often, for synthetic catalogs shaped like real ones.

In a real catalog (the pyvideo data set has about 13,000 speakers for 21,700 talks) most
speakers give one or two talks and a few regulars give dozens. ``LongTail`` reproduces that:
a few hundred regulars (about one in fifty of the people, at most 300) share an eighth of the
picks, more often the higher they rank, and the other picks are spread evenly over everyone
else. With about 0.6 people per pick, three quarters of those picked are picked once or twice
and the busiest regulars dozens of times.

No Django import here: ``benchmarks/pyvideo_tree.py`` writes JSON files with it before
Django is set up.
"""

import itertools


class LongTail:
    REGULAR_SHARE = 0.125
    MAX_REGULARS = 300
    # How many people per pick gives the pyvideo data set's shape (see the module's docstring).
    PEOPLE_PER_PICK = 0.6

    def __init__(self, rng, people):
        """Picks among ``people`` (numbered from 0, regulars first) with ``rng``."""
        if people < 2:
            raise ValueError("a long tail needs at least two people")
        self.rng = rng
        self.people = people
        self.regulars = min(self.MAX_REGULARS, max(1, people // 50))
        ranks = range(1, self.regulars + 1)
        self.regular_weights = list(itertools.accumulate(rank**-0.3 for rank in ranks))

    @classmethod
    def for_picks(cls, rng, picks, minimum=2):
        """A tail with as many people as ``picks`` picks need for the real shape."""
        return cls(rng, max(minimum, int(picks * cls.PEOPLE_PER_PICK)))

    def pick(self):
        """The number of one person; the same one may come again."""
        if self.rng.random() < self.REGULAR_SHARE:
            return self.rng.choices(range(self.regulars), cum_weights=self.regular_weights)[0]
        return self.regulars + self.rng.randrange(self.people - self.regulars)

    def pick_distinct(self, count):
        """``count`` different people (fewer than ``people``), in the order they were picked."""
        picked = {}
        while len(picked) < count:
            picked[self.pick()] = None
        return list(picked)
