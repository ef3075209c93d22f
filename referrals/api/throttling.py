"""A rate per API client (settings.API_RATE), counted in the cache; DRF answers 429
with Retry-After once a client is over it."""

from rest_framework.throttling import SimpleRateThrottle


class ApiClientRateThrottle(SimpleRateThrottle):
    scope = "api_client"

    def get_cache_key(self, request, view):
        if request.auth is None or not hasattr(request.auth, "token_hash"):
            return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
        return self.cache_format % {"scope": self.scope, "ident": f"client-{request.auth.pk}"}
