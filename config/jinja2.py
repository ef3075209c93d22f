"""The Jinja2 environment for row fragments (README, "Which template engine renders what").

Pages are Django templates. The hottest pages' repeated rows (the triage queue's table)
are rendered by Jinja2, which compiles a template to Python and renders 50 rows in a
fraction of the Django engine's time. Fragments are given display strings only (a
presenter formats them), so the environment adds nothing to Jinja2's own: no globals,
no filters, autoescaping on, and a missing name is an error rather than an empty cell."""

import jinja2


def environment(**options) -> jinja2.Environment:
    options["undefined"] = jinja2.StrictUndefined
    options.pop("autoescape", None)
    return jinja2.Environment(autoescape=True, **options)
