"""Row fragments (referrals.fragments): Jinja2 templates that escape what they print
and refuse a name they were not given."""

import jinja2
import pytest
from django.template import engines
from django.utils.safestring import SafeString

from referrals.fragments import render_fragment


@pytest.fixture
def fragment(tmp_path, settings):
    """A fragment file in a template directory of the fragments engine."""
    (tmp_path / "probe.jinja").write_text('<td>{{ row["name"] }}</td>')
    engine = engines["fragments"]
    loader = engine.env.loader
    engine.env.loader = jinja2.FileSystemLoader([tmp_path])
    yield "probe.jinja"
    engine.env.loader = loader


def test_a_fragment_escapes_every_value_and_is_safe_to_place_in_a_page(fragment):
    html = render_fragment(fragment, {"row": {"name": "<b>Zoë Ł'Øyen & Æsir</b>"}})
    assert html == "<td>&lt;b&gt;Zoë Ł&#39;Øyen &amp; Æsir&lt;/b&gt;</td>"
    assert isinstance(html, SafeString)


def test_a_name_the_presenter_did_not_give_is_an_error_not_an_empty_cell(fragment):
    with pytest.raises(jinja2.UndefinedError):
        render_fragment(fragment, {"row": {}})


def test_only_jinja_templates_are_fragments():
    with pytest.raises(ValueError, match="fragments are"):
        render_fragment("referrals/triage/queue.html", {})
