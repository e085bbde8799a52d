// My schedule: the ids of starred talks, kept in this browser's localStorage and sent nowhere,
// except as the ids in the address of the My schedule page, which the server renders from them.
// Without JavaScript (or without storage) the star buttons stay hidden.
(() => {
  const KEY = "talks:my-schedule";
  const TALK_ID = /^\d{1,18}$/;

  function load() {
    try {
      const ids = JSON.parse(localStorage.getItem(KEY) || "[]");
      return Array.isArray(ids) ? ids.map(String).filter((id) => TALK_ID.test(id)) : [];
    } catch {
      return [];
    }
  }

  function save(ids) {
    localStorage.setItem(KEY, JSON.stringify(ids));
  }

  function storageWorks() {
    try {
      save(load());
      return true;
    } catch {
      return false;
    }
  }

  const ownLink = document.getElementById("my-schedule-link");
  const schedulePath = ownLink ? ownLink.getAttribute("href") : "/my-schedule/";

  function scheduleUrl(ids) {
    const query = new URLSearchParams(ids.map((id) => ["talk", id])).toString();
    return query ? `${schedulePath}?${query}` : schedulePath;
  }

  function sameIds(a, b) {
    const left = new Set(a);
    const right = new Set(b);
    return left.size === right.size && [...left].every((id) => right.has(id));
  }

  function show(button, starred) {
    button.setAttribute("aria-pressed", String(starred));
    button.querySelector(".star-icon").textContent = starred ? "★" : "☆";
  }

  if (!storageWorks()) return;

  // On My schedule: with no ids in the address, open the page of the stored ones; with the
  // stored ones, it is the reader's own list, which follows their stars.
  const schedulePage = document.querySelector("[data-my-schedule]");
  let ownListShown = false;
  if (schedulePage) {
    const shown = new URLSearchParams(window.location.search).getAll("talk");
    const stored = load();
    if (!shown.length) {
      if (stored.length) {
        window.location.replace(scheduleUrl(stored));
        return;
      }
    } else if (sameIds(shown, stored)) {
      ownListShown = true;
      // Forget stars of talks the catalog no longer has (the page names them).
      const unknown = schedulePage.dataset.unknownIds.split(" ").filter(Boolean);
      if (unknown.length) {
        const kept = stored.filter((id) => !unknown.includes(id));
        save(kept);
        window.history.replaceState(null, "", scheduleUrl(kept));
      }
    } else if (schedulePage.dataset.shownIds) {
      schedulePage.querySelector("[data-shared-note]").hidden = false;
    }
  }

  const starred = new Set(load());
  for (const button of document.querySelectorAll("button[data-star-talk]")) {
    show(button, starred.has(button.dataset.starTalk));
    button.hidden = false;
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-star-talk]");
    if (!button) return;
    const id = button.dataset.starTalk;
    const stored = load();
    const ids = stored.includes(id) ? stored.filter((other) => other !== id) : [...stored, id];
    save(ids);
    // A talk can be listed twice on a page (a keynote on the conference page): keep both in step.
    for (const twin of document.querySelectorAll(`button[data-star-talk="${id}"]`)) {
      show(twin, ids.includes(id));
    }
    if (ownListShown) window.location.replace(scheduleUrl(ids));
  });
})();
