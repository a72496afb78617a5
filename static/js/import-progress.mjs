// Keeps an import's progress page current without reloading it: asks the job's progress endpoint
// every second and moves the bar and the words; when the import has ended, loads the page again
// to show the result (or the errors). Screen readers hear the step when it changes, and the count
// now and then (a polite live region), not every second. Without JavaScript the page has a
// Refresh link.
const POLL_MS = 1000;
const SLOW_POLL_MS = 5000; // after a failed request (server restarting, network gone)
const ANNOUNCE_EVERY_MS = 15000;

const box = document.querySelector("[data-import-progress]");

if (box) {
  const url = box.dataset.importProgress;
  const words = document.getElementById("import-progress-words");
  const bar = document.getElementById("import-progress-bar");
  const announcer = document.getElementById("import-progress-announcer");
  let lastStep = null;
  let lastAnnounced = Date.now();

  const announce = (text) => {
    announcer.textContent = text;
    lastAnnounced = Date.now();
  };

  const show = (progress) => {
    words.textContent = progress.words;
    bar.value = progress.percent;
    bar.textContent = `${progress.percent}%`;
    if (progress.step !== lastStep) {
      if (lastStep !== null) announce(progress.words);
      lastStep = progress.step;
    } else if (Date.now() - lastAnnounced > ANNOUNCE_EVERY_MS) {
      announce(progress.words);
    }
  };

  const poll = async () => {
    let wait = POLL_MS;
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, cache: "no-store" });
      if (!response.ok) throw new Error(`status ${response.status}`);
      const progress = await response.json();
      if (progress.finished) {
        announce("The import has finished: loading the result.");
        window.location.reload();
        return;
      }
      show(progress);
    } catch {
      wait = SLOW_POLL_MS;
    }
    window.setTimeout(poll, wait);
  };

  window.setTimeout(poll, POLL_MS);
}
