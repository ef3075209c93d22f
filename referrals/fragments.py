"""Rendering a row fragment: a `*.jinja` template under templates/, given display
strings by a presenter, and placed in a Django page as `{{ fragment }}` (README, "Which
template engine renders what")."""

from django.template import engines
from django.utils.safestring import SafeString, mark_safe


def render_fragment(template_name: str, context: dict) -> SafeString:
    """The fragment's HTML. Jinja2 escapes every value it prints (autoescaping is on
    in config.jinja2), so the result is marked safe for the page that includes it."""
    if not template_name.endswith(".jinja"):
        raise ValueError(f"{template_name}: fragments are *.jinja templates")
    html = engines["fragments"].get_template(template_name).render(context)
    return mark_safe(html)  # noqa: S308 - escaped by Jinja2's autoescaping
