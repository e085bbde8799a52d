"""Readers of outside formats, each turning a file into validated plain data (``data``) that
one atomic write (``writer.write_schedule``) puts into the catalog with the models' full
validation.

- ``frab``: frab / c3voc schedule XML or JSON, as written by pretalx, frab, wafer and
  pentabarf (``import_schedule``).
- ``pyvideo``: one event folder of the pyvideo.org data set (``import_pyvideo``).
- ``pyvideo_tree``: every event folder of a pyvideo data checkout, one transaction each.

Imports are idempotent: talks are keyed on their event guid (kept in ``Talk.guid``; a source
without guids gets one derived from the conference and the source's own id), rooms on
conference and name, tracks on conference and slugified name, speakers on their name. A
name longer than its field is stored cut to fit and looked up cut the same way, so it stays
one record across re-imports.
Any invalid record stops the import with ``ImportFailure`` naming the file, the element and
the reason, and the database is left as it was.
"""
