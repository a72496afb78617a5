// Keeps an idea board up to date without reloading the page, and works the summary's print button.
//
// Every few seconds it asks the board's notes endpoint "anything newer?" (If-None-Match with the
// board's ETag): an unchanged board answers 304 with no body. When something changed it gets each
// note as the same HTML fragment the page shows (escaped by the server's templates) with a
// fingerprint, and replaces only the notes whose fingerprint changed, so a button that has focus
// keeps it. New notes from other people are announced politely through an aria-live region;
// focus never moves. Without JavaScript the page still works: every form posts and comes back.
const POLL_MS = 4000;
const SLOW_POLL_MS = 15000; // after a failed request (offline, server restarting)

const board = document.querySelector("[data-board-poll]");
const pollUrl = board ? board.dataset.boardPoll : "";

function noteCountText(count) {
  return `${count} note${count === 1 ? "" : "s"}`;
}

function fromHtml(html) {
  const template = document.createElement("template");
  template.innerHTML = html.trim();
  return template.content.firstElementChild;
}

function announce(messages) {
  const region = document.getElementById("board-announcer");
  if (!region || messages.length === 0) return;
  const text = messages.length > 3 ? `${messages.length} new notes on the board.` : messages.join(" ");
  // Clearing first makes screen readers announce a repeated message too.
  region.textContent = "";
  window.setTimeout(() => { region.textContent = text; }, 50);
}

function replaceKeepingFocus(oldNode, newNode) {
  const focused = document.activeElement;
  const focusKey = oldNode.contains(focused) && focused.dataset ? focused.dataset.focusKey : null;
  oldNode.replaceWith(newNode);
  if (focusKey) {
    const again = newNode.querySelector(`[data-focus-key="${focusKey}"]`);
    if (again) again.focus();
  }
}

function updateColumn(section, notes, fresh, known) {
  const list = section.querySelector("[data-notes]");
  const existing = new Map();
  for (const item of list.children) existing.set(item.dataset.noteId, item);
  const wanted = new Set(notes.map((note) => note.id));

  // Notes taken off the board.
  for (const [id, item] of existing) {
    if (!wanted.has(id)) {
      const hadFocus = item.contains(document.activeElement);
      item.remove();
      existing.delete(id);
      if (hadFocus) section.querySelector("h3").focus();
    }
  }
  // New and changed notes, in the board's order.
  notes.forEach((note, index) => {
    let item = existing.get(note.id);
    if (!item) {
      item = fromHtml(note.html);
      if (!known.has(note.id)) fresh.push(note.announce);
    } else if (item.dataset.key !== note.key) {
      const replacement = fromHtml(note.html);
      replaceKeepingFocus(item, replacement);
      item = replacement;
    }
    const current = list.children[index];
    if (current !== item) list.insertBefore(item, current || null);
  });
  section.querySelector("[data-count]").textContent = noteCountText(notes.length);
  section.querySelector("[data-empty]").hidden = notes.length > 0;
}

function startPolling() {
  let etag = board.dataset.etag || "";
  let state = board.dataset.state || "";
  let timer = null;
  const known = new Set(
    Array.from(board.querySelectorAll("[data-note-id]"), (item) => item.dataset.noteId),
  );

  const hint = document.querySelector("[data-live-hint]");
  if (hint) hint.hidden = false;

  function schedule(delay) {
    window.clearTimeout(timer);
    timer = window.setTimeout(poll, delay);
  }

  function apply(data) {
    const fresh = [];
    for (const section of board.querySelectorAll("[data-column]")) {
      updateColumn(section, data.columns[section.dataset.column] || [], fresh, known);
    }
    for (const note of Object.values(data.columns).flat()) known.add(note.id);
    for (const [name, region] of Object.entries(data.regions)) {
      const target = document.querySelector(`[data-board-region="${name}"]`);
      if (target && target.dataset.key !== region.key) {
        target.innerHTML = region.html;
        target.dataset.key = region.key;
      }
    }
    if (state !== data.state && data.stateText) fresh.unshift(data.stateText);
    state = data.state;
    announce(fresh);
  }

  async function poll() {
    if (document.hidden) return; // picked up again when the page is shown
    let response;
    try {
      response = await fetch(pollUrl, {
        headers: { "If-None-Match": etag, Accept: "application/json" },
        cache: "no-store",
        credentials: "same-origin",
      });
    } catch {
      schedule(SLOW_POLL_MS);
      return;
    }
    if (response.status === 304) {
      schedule(POLL_MS);
      return;
    }
    const type = response.headers.get("Content-Type") || "";
    if (!response.ok || !type.includes("application/json")) {
      // Signed out, or the board is gone: stop, and say so once.
      if (hint) hint.textContent = "(the board stopped updating by itself: reload the page)";
      return;
    }
    const data = await response.json();
    etag = response.headers.get("ETag") || etag;
    apply(data);
    if (data.open) schedule(POLL_MS);
  }

  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) schedule(0);
  });
  schedule(0);
}

if (board && pollUrl && window.fetch) {
  startPolling();
}

// The summary's "Print this summary" button: shown only where a script can work it.
const printButton = document.querySelector("[data-print-button]");
if (printButton) {
  printButton.hidden = false;
  printButton.addEventListener("click", () => window.print());
}
