"""Write the style sheets plotly.js would otherwise inject at run time, and the template that
links them.

plotly.js adds <style> elements to the page when it loads (its global rules: mode bar, hover
layer, cursors, …; and MapLibre's rules for map traces). The Content Security Policy
(``style-src 'self'``) refuses inline styles, so plotly.js would be left unstyled and the browser
would log a violation. plotly.js skips each injection when the page already has an element with
that <style>'s id (for its global rules, also with the class ``no-inline-styles``). So this script
loads plotly.js once in a blank page with no policy, saves each injected sheet to
``static/css/plotly/``, and writes ``templates/charts/_plotly_styles.html``: <link> elements
carrying the same ids, included by the chart page before plotly.js loads.

Run it again after upgrading the ``plotly`` package (it needs Playwright and a Chromium):

    .venv/bin/python scripts/build_plotly_css.py
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import plotly
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
PLOTLY_JS = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
CSS_DIR = ROOT / "static" / "css" / "plotly"
TEMPLATE = ROOT / "templates" / "charts" / "_plotly_styles.html"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"

COLLECT = """() => Array.from(document.head.querySelectorAll('style'), (style) => ({
    id: style.id,
    // The global sheet is filled with insertRule (its text is empty); others carry their text.
    css: style.textContent.trim() ? style.textContent
         : Array.from(style.sheet.cssRules, (rule) => rule.cssText).reverse().join('\\n'),
}))"""


def main() -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page()
        page.set_content("<!DOCTYPE html><html><head></head><body></body></html>")
        page.add_script_tag(content=PLOTLY_JS.read_text(encoding="utf-8"))
        version = page.evaluate("() => window.Plotly.version")
        sheets = page.evaluate(COLLECT)
        browser.close()

    CSS_DIR.mkdir(parents=True, exist_ok=True)
    for old in CSS_DIR.glob("*.css"):
        old.unlink()
    links = [
        "{% load static %}{# Written by scripts/build_plotly_css.py for plotly.js "
        f"{version}: do not edit by hand. #}}"
    ]
    for index, sheet in enumerate(sheets, start=1):
        if sheet["id"] == "plotly.js-style-global":
            name = "global.css"
        elif sheet["css"].lstrip().startswith(".maplibregl"):
            name = "maplibre.css"  # map traces' rules: unused by the app, but injected all the same
        else:
            name = f"sheet-{index}.css"
        (CSS_DIR / name).write_text(
            f'/* Injected by plotly.js {version} as <style id="{sheet["id"]}">; saved by '
            "scripts/build_plotly_css.py. */\n" + sheet["css"] + "\n",
            encoding="utf-8",
        )
        links.append(
            f'<link rel="stylesheet" id="{sheet["id"]}" class="no-inline-styles" '
            f"href=\"{{% static 'css/plotly/{name}' %}}\">"
        )
    TEMPLATE.write_text("\n".join(links) + "\n", encoding="utf-8")
    print(f"Saved {len(sheets)} style sheets of plotly.js {version}; wrote {TEMPLATE.name}")


if __name__ == "__main__":
    main()
