"""Every view of the portal's own apps checks the role first (accounts.decorators.
role_required outermost, before any method check), so that a wrong role gets the same
answer, a 404, on every page whatever the method."""

import inspect

from django.urls import URLPattern, URLResolver, get_resolver

APPS = ("referrals", "indicators")
# Views anyone may open without signing in, each marked by accounts.decorators.public_page
# (outermost, like role_required). A new public view must be added here on purpose.
PUBLIC_VIEWS = {"handoff_acknowledge_link"}


def _patterns(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def _app_views():
    for route, view in _patterns():
        if getattr(view, "public", False):
            continue
        module = inspect.unwrap(view).__module__
        if module.split(".")[0] in APPS:
            yield route, view


def test_the_apps_have_views_to_check():
    assert len(list(_app_views())) > 20


def test_every_view_checks_the_role_before_anything_else():
    wrong = [route for route, view in _app_views() if getattr(view, "role_check", None) is not view]
    assert wrong == []


def test_public_views_are_only_the_allowlisted_ones():
    public = {
        inspect.unwrap(view).__name__
        for _route, view in _patterns()
        if getattr(view, "public", False) and getattr(view, "role_check", None) is view
    }
    assert public == PUBLIC_VIEWS


def test_a_public_view_is_marked_outermost():
    wrong = [
        route
        for route, view in _patterns()
        if getattr(view, "public", False) and getattr(view, "role_check", None) is not view
    ]
    assert wrong == []
