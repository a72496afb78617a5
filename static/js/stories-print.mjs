// The print view's "Print this story" button: shown only where a script can work it.
const button = document.querySelector("[data-print-button]");
if (button) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
