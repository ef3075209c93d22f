"""Where to send someone after a form: a `next` the visitor supplied, if it is safe.

Every view that redirects to a user-supplied `next` asks `safe_next_url`, so a hostile
value (header-injection CR/LF, NUL, other schemes, another host, a huge string) falls
back to a safe page instead of reaching the Location header (OWASP ASVS 5.0 V3: open
redirects; Django raises on CR/LF in a header, which would answer 500)."""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

# Longer than any page of the portal with its query string; browsers and proxies
# refuse much past this anyway.
MAX_NEXT_LENGTH = 2000


def _printable(value: str) -> bool:
    return not any(ord(c) < 0x20 or ord(c) == 0x7F for c in value)


def is_safe_next(request: HttpRequest, candidate) -> bool:
    """A path on this site (or a URL to this host), safe to put in a Location header."""
    if not isinstance(candidate, str) or not candidate or len(candidate) > MAX_NEXT_LENGTH:
        return False
    if not _printable(candidate) or not candidate.startswith("/"):
        return False
    return url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def safe_next_url(request: HttpRequest, default: str) -> str:
    """The `next` from the form or the query string if safe, else `default`."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if is_safe_next(request, candidate) and candidate != request.path:
        return candidate
    return default
