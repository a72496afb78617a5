// Starts the NHS.UK frontend components (header menu, error summary focus, skip link, …).
// Loaded as a module from the base layout: no inline script, so the Content Security Policy can
// forbid them.
import { initAll } from "../nhsuk/nhsuk-frontend.min.js";

document.body.classList.add("nhsuk-frontend-supported");
initAll();
