"""``{% fragment "name" [vary …] %}…{% endfragment %}``: a part of a page kept in the cache until a
table it read is written (``projects/fragments.py`` says how that is known).

The key holds the template, the name, the values after it, the signed-in user, the scheme and
host, the path with its query string, the hour and the release, so a fragment may show anything
that depends on those. Anything else it shows must be read inside it: the view passes what is
costly as ``lazy(…)`` so that a hit skips it, and what the view had to read before (to answer 404,
say) and the fragment shows goes in the values after the name. Forms inside keep working: the
CSRF token is left out of the cached copy and put into each response. Only GET requests use the
cache; a form shown again with its errors renders afresh.
"""

from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.safestring import mark_safe

from projects import fragments

register = template.Library()


def csrf_placeholder(parts: tuple) -> str:
    """Stands for the request's CSRF token in a cached copy: letters and digits (escaping leaves
    it alone), and secret (made with SECRET_KEY), so no text a user typed into a page can hold it
    and be given someone's token."""
    return "bigicsrf" + salted_hmac("bigi-fragment-csrf", repr(parts)).hexdigest()[:32]


class FragmentNode(template.Node):
    def __init__(self, nodelist, vary):
        self.nodelist = nodelist
        self.vary = vary

    def render(self, context):
        request = context.get("request")
        if request is None or request.method != "GET":
            return self.nodelist.render(context)
        parts = (
            "fragment",
            context.template.origin.name,
            *(value.resolve(context) for value in self.vary),
            getattr(request.user, "pk", None),
            request.scheme,
            request.get_host(),
            request.get_full_path(),
            # The hour (in UTC, so none repeats when the clocks go back): what a page says about
            # time ("the link has expired", "from today") is never more than an hour old.
            timezone.now().strftime("%Y-%m-%d %H"),
        )
        placeholder = csrf_placeholder(parts)

        def build() -> tuple[str, bool]:
            with context.push(csrf_token=placeholder):
                html = self.nodelist.render(context)
            # Whether it holds a form, found once here rather than in each response.
            return html, placeholder in html

        html, has_form = fragments.cached(parts, build)
        if has_form:
            html = html.replace(placeholder, str(context.get("csrf_token", "")))
        return mark_safe(html)  # noqa: S308 - our own template's output, escaped when rendered


@register.tag("fragment")
def do_fragment(parser, token):
    bits = token.split_contents()[1:]
    if not bits:
        raise template.TemplateSyntaxError('{% fragment %} needs a name: {% fragment "queue" %}.')
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, [parser.compile_filter(bit) for bit in bits])
