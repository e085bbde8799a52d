"""Exchange formats written from the catalog: iCalendar and the frab / c3voc schedule.

Each format is one pure function from a conference, a queryset of its talks (from
``Talk.objects.for_export()``, or ``for_calendar()`` for iCal, already filtered) and a base
URL to bytes, so the views, the feeds and the tests share it and nothing here knows about HTTP:

- ``ical.calendar_bytes``: RFC 5545 with the icalendar package.
- ``frab.schedule_xml`` and ``frab.schedule_json``: the frab schedule formats that schedule
  apps (Giggity, ConfClerk, EventFahrplan) read, valid against the c3voc schemas.

None of them invents a day, a time, a room or a duration; each module says how it writes an
unknown one. ``identity`` holds the rules they share (acronym, event guid, absolute links).
"""
