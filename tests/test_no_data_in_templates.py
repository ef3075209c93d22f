"""No text reaches a template compiler: crispy's HTML() compiles its string as a Django
template, so a layout built from data (a warning sign's wording) would run `{{ }}` and
`{% %}` in it and print its markup. Application code may pass HTML() only a constant."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("accounts", "config", "indicators", "referrals")


def html_calls_with_data(source: str) -> list[int]:
    """Line numbers of HTML(...) calls whose first argument is not a constant string."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = getattr(node.func, "id", getattr(node.func, "attr", ""))
        first = node.args[0]
        constant = isinstance(first, ast.Constant) and isinstance(first.value, str)
        if name == "HTML" and not constant:
            lines.append(node.lineno)
    return lines


def test_the_check_finds_html_built_from_data_and_allows_constants():
    # Built from a name so that this sample itself is not what a grep for the hazard finds.
    html = "HTML"
    source = f'{html}(f"<h2>{{wording}}</h2>")\n{html}("<p>" + text)\n{html}("<hr>")\n'
    source += f'layout.{html}("<b>%s</b>" % name)\nWeasyHTML(string=html)\n'
    assert html_calls_with_data(source) == [1, 2, 4]


def test_no_layout_compiles_data_as_a_template():
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for app in APPS
        for path in sorted((ROOT / app).rglob("*.py"))
        for line in html_calls_with_data(path.read_text())
    ]
    assert found == []
