// The catalog's admin shows and reads times in the conference's own time zone, which each time
// field's help names. Django's date and time shortcuts would add "Note: You are N hours behind
// server time", comparing the browser's zone with that one: a difference that does not matter
// here, since editors type the conference's local times. The note is left out; the shortcuts
// ("Now", "Today") still give the conference's current time.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // DateTimeShortcuts (loaded in the head, set up on "load") exists only on forms with dates.
  if (window.DateTimeShortcuts) {
    window.DateTimeShortcuts.addTimezoneWarning = () => {};
  }
});
