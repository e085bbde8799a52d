"""Where and when the catalog last changed: the marks that retire stored responses.

One row per *scope* (a conference, a speaker, the catalog-wide lists, everything), holding the
serial of the last change that touched it; one more row, ``*``, counts every change. The rows
live in the database, beside the data they describe, so a mark is written in the same
transaction as the change it records and can never go backwards when a cache is lost, flushed
or restarted. ``talks.freshness`` writes and reads them; nothing else should.
"""

from django.db import models


class ChangeMark(models.Model):
    scope = models.CharField(max_length=40, primary_key=True)
    serial = models.BigIntegerField()
    # Milliseconds since the epoch: read on every check of a stored response, as a plain
    # number that both engines return alike.
    changed_ms = models.BigIntegerField()
    # The serial before this one: a copy as old as it missed only the last change.
    previous = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "change mark"

    def __str__(self):
        return f"{self.scope} #{self.serial}"
