// Draws the p-chart with plotly.js from the figure the server put in <script id="pchart-figure"
// type="application/json"> (json_script): no inline script, so the Content Security Policy holds.
// The table and the signal sentences on the page are the chart's text alternative.
const source = document.getElementById("pchart-figure");
const target = document.getElementById("pchart");

if (source && target && window.Plotly) {
  const figure = JSON.parse(source.textContent);
  window.Plotly.newPlot(target, figure.data, figure.layout, figure.config).then(() => {
    // The div is one image (role="img" with its description): its inner SVG is decoration.
    for (const svg of target.querySelectorAll("svg")) {
      svg.setAttribute("aria-hidden", "true");
      svg.setAttribute("focusable", "false");
    }
    target.dataset.drawn = "true";
  });
}
