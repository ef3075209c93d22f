"""`Authorization: Bearer <token>`: the client whose token hashes to a stored, unrevoked
ApiClient.token_hash. Anything else with a Bearer header is a 401; no header at all is
unauthenticated (the permission check then answers 401 too)."""

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from referrals.models import ApiClient
from referrals.models.api import token_hash


class ApiClientAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("The Authorization header is malformed.")
        try:
            token = header[1].decode()
        except UnicodeError as error:
            raise exceptions.AuthenticationFailed("The token is malformed.") from error
        client = (
            ApiClient.objects.select_related("organisation", "accountable_person")
            .filter(token_hash=token_hash(token))
            .first()
        )
        if client is None or not client.is_active:
            raise exceptions.AuthenticationFailed("The token is unknown or revoked.")
        ApiClient.objects.filter(pk=client.pk).update(last_used_at=timezone.now())
        return client, client

    def authenticate_header(self, request):
        return self.keyword


class HasApiClient:
    """Permission: the request carries a valid client token (otherwise 401) holding the
    scope the view names in `required_scope` (otherwise 403). Deny by default: a view
    that names no scope is refused to every token."""

    message = "The client's token does not allow this."

    def has_permission(self, request, view):
        if not isinstance(request.auth, ApiClient):
            return False
        required = getattr(view, "required_scope", None)
        if required is None or not request.auth.has_scope(required):
            self.message = (
                f"This needs the scope {required}, which the client's token does not have; "
                "an administrator can grant it."
                if required
                else self.message
            )
            return False
        return True

    def has_object_permission(self, request, view, obj):
        return True


class ApiClientAuthenticationScheme(OpenApiAuthenticationExtension):
    """The OpenAPI document's security scheme for the client token."""

    target_class = ApiClientAuthentication
    name = "bearerAuth"

    def get_security_requirement(self, auto_schema):
        # The scope the operation needs (OpenAPI 3.1 lists role names for any scheme;
        # the 403 says which one was missing).
        required = getattr(auto_schema.view, "required_scope", None)
        return {self.name: [required] if required else []}

    def get_security_definition(self, auto_schema):
        scopes = "; ".join(f"`{scope.value}`: {scope.label}" for scope in ApiClient.Scope)
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A registered client's token. Each operation needs one scope "
            f"(its security requirement names it; without it, 403). Scopes: {scopes}.",
        }
