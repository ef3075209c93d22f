"""Security headers on every page (docs/security.md, "Configuration"): a walk over
every URL pattern of the project, signed in as someone who may see it."""

import re

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

from tests.auth import sign_in

CSP_MUST_CONTAIN = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "frame-ancestors 'none'",
    "form-action 'self'",
    "object-src 'none'",
]


def every_url_pattern(resolver=None, prefix=""):
    """(route, pattern) for every URL pattern of the project, includes flattened."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from every_url_pattern(entry, route)
        elif isinstance(entry, URLPattern):
            yield route, entry


def concrete_path(route: str) -> str:
    """A path matching the route, with placeholder values for its parameters (a missing
    object answers 404, which must carry the headers too)."""
    path = re.sub(r"<int:[^>]+>", "999999", route)
    path = re.sub(r"<uuid:[^>]+>", "00000000-0000-0000-0000-000000000000", path)
    path = re.sub(r"<[^>]+>", "X-0000", path)
    path = path.lstrip("^").rstrip("$").replace("\\Z", "").replace("\\", "")
    return "/" + path


def assert_security_headers(response, path):
    csp = response.headers.get("Content-Security-Policy", "")
    for directive in CSP_MUST_CONTAIN:
        assert directive in csp, f"{path}: CSP lacks {directive!r}: {csp!r}"
    assert "'unsafe-inline'" not in csp, path
    assert response.headers.get("X-Frame-Options") == "DENY", path
    assert response.headers.get("X-Content-Type-Options") == "nosniff", path
    assert response.headers.get("Referrer-Policy") == "same-origin", path
    assert "max-age=31536000" in response.headers.get("Strict-Transport-Security", ""), path
    assert response.headers.get("X-Request-ID"), path


ROUTES = sorted({route for route, _ in every_url_pattern()})


@pytest.mark.parametrize("route", ROUTES)
def test_every_page_carries_the_security_headers_for_anonymous_visitors(client, db, route):
    path = concrete_path(route)
    response = client.get(path, secure=True)
    assert_security_headers(response, path)


@pytest.mark.parametrize("route", ROUTES)
def test_every_page_carries_the_security_headers_and_no_store_for_staff(
    client, admin, triager, route
):
    # A user holding every role the walk may need, so pages answer as for their users.
    from django.contrib.auth.models import Group

    triager.groups.set(Group.objects.all())
    triager.is_staff = True
    triager.save()
    sign_in(client, triager)
    path = concrete_path(route)
    response = client.get(path, secure=True)
    assert_security_headers(response, path)
    assert "no-store" in response.headers.get("Cache-Control", ""), path


def test_pages_with_personal_data_are_never_cached(client, practitioner):
    sign_in(client, practitioner)
    response = client.get("/referrals/mine/", secure=True)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_pages_have_no_inline_script(client, practitioner):
    sign_in(client, practitioner)
    for path in ["/accounts/login/", "/referrals/mine/", "/accounts/security/"]:
        html = client.get(path, secure=True).content.decode()
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag, f"{path}: inline script {tag}"
        assert " style=" not in html, f"{path}: inline style attribute"


def test_session_and_csrf_cookies_are_http_only_and_same_site(client, practitioner):
    client.get("/accounts/login/", secure=True)
    client.post(
        "/accounts/login/",
        {"username": practitioner.email, "password": "correct-horse-battery-staple-42"},
        secure=True,
    )
    session_cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert session_cookie["httponly"]
    assert session_cookie["samesite"] == "Lax"


def test_the_static_files_are_cacheable_but_pages_are_not(client, db):
    page = client.get("/accounts/login/", secure=True)
    assert "no-store" in page["Cache-Control"]


def test_passwords_are_hashed_with_argon2_and_must_be_twelve_characters():
    from config import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    lengths = [
        v.get("OPTIONS", {}).get("min_length")
        for v in production.AUTH_PASSWORD_VALIDATORS
        if v["NAME"].endswith("MinimumLengthValidator")
    ]
    assert lengths == [12]
    assert any(
        v["NAME"].endswith("CommonPasswordValidator") for v in production.AUTH_PASSWORD_VALIDATORS
    )


def test_csrf_is_enforced_on_sign_in(db):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/accounts/login/", {"username": "a@example.org", "password": "x"})
    assert response.status_code == 403


def test_no_view_is_csrf_exempt():
    """Except the partner API's (DRF marks its views exempt), and only because no cookie
    signs anyone in there: a request authenticates by its bearer token alone, so a
    forged cross-site request carries nothing that would act for a user."""
    from rest_framework.authentication import SessionAuthentication

    for route, pattern in every_url_pattern():
        callback = pattern.callback
        view_class = getattr(callback, "cls", None)
        if route.startswith("api/") and view_class is not None:
            for auth in view_class().get_authenticators():
                assert not isinstance(auth, SessionAuthentication), route
            continue
        assert not getattr(callback, "csrf_exempt", False), route
