"""Administrators register partner systems (ApiClient) here. The token is shown once,
in the message after saving a new client; only its hash is stored. Its scopes are
chosen from ApiClient.Scope; a webhook subscription's URL passes the SSRF guard
(referrals.notifications.webhooks.url_check) before it is saved."""

from django import forms
from django.contrib import admin, messages
from django.utils import timezone

from referrals.audit import audit_record
from referrals.models import ApiClient, RetentionClass, WebhookDelivery, WebhookSubscription
from referrals.notifications.webhooks import UnsafeUrl, url_check


class ApiClientForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        choices=ApiClient.Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="What the client may do. Every endpoint needs its scope: without it, 403.",
    )

    class Meta:
        model = ApiClient
        fields = ["name", "organisation", "scopes", "accountable_person"]


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    form = ApiClientForm
    list_display = (
        "name",
        "organisation",
        "accountable_person",
        "scope_list",
        "revoked_at",
        "last_used_at",
    )
    list_filter = ("organisation",)

    @admin.display(description="Scopes")
    def scope_list(self, obj):
        return ", ".join(obj.scopes or []) or "none"

    readonly_fields = ("created_by", "created_at", "last_used_at", "revoked_at")
    actions = ["revoke"]

    def save_model(self, request, obj, form, change):
        token = None
        if not change:
            obj.created_by = request.user
            token = obj.new_token()
        super().save_model(request, obj, form, change)
        audit_record(
            action="api.client_registered" if token else "api.client_changed",
            request=request,
            obj=obj,
            detail={"api_client": obj.pk, "scopes": list(obj.scopes or [])},
        )
        if token:
            messages.warning(
                request,
                f"The token for {obj.name} is {token} — copy it now: it will not be shown again.",
            )

    @admin.action(description="Revoke the selected clients' tokens")
    def revoke(self, request, queryset):
        for client in queryset.filter(revoked_at__isnull=True):
            client.revoked_at = timezone.now()
            client.save(update_fields=["revoked_at"])
            audit_record(
                action="api.client_revoked",
                request=request,
                obj=client,
                detail={"api_client": client.pk},
            )


class WebhookSubscriptionForm(forms.ModelForm):
    url = forms.URLField(max_length=500, assume_scheme="https", label="URL")
    events = forms.MultipleChoiceField(
        choices=WebhookSubscription.Event.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one event to send"},
    )

    class Meta:
        model = WebhookSubscription
        fields = ["name", "url", "events", "secret", "organisation", "active", "created_at"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        try:
            url_check(url)
        except UnsafeUrl as unsafe:
            raise forms.ValidationError(
                "This URL cannot receive events: %(reason)s. Use an https URL whose host "
                "has a public address (webhooks may not reach internal services).",
                params={"reason": str(unsafe)},
                code="unsafe_url",
            ) from unsafe
        return url


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    """Council or partner receivers of signed events (h22b). The secret is the HMAC key
    the receiver verifies X-Portal-Signature with."""

    form = WebhookSubscriptionForm
    list_display = ("name", "url", "organisation", "active", "created_at")
    list_filter = ("active", "organisation")


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """Delivered, pending or failed: what each receiver got, for administrators."""

    list_display = ("event", "subscription", "state", "attempts", "last_status", "created_at")
    list_filter = ("state", "event", "subscription")
    readonly_fields = (
        "subscription",
        "event",
        "payload",
        "state",
        "attempts",
        "retry_at",
        "last_status",
        "last_error",
        "created_at",
        "delivered_at",
    )

    def has_add_permission(self, request):
        return False


# --- h21r: the retention schedule is data administrators keep -----------------------


@admin.register(RetentionClass)
class RetentionClassAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "trigger", "period_years", "period_days", "until_age")
    fields = (
        "name",
        "code",
        "trigger",
        "period_years",
        "period_days",
        "until_age",
        "contact_outcomes",
        "is_default",
        "notes",
        "order",
    )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_record(
            action="retention.class_changed" if change else "retention.class_added",
            request=request,
            obj=obj,
            detail={"changed": sorted(form.changed_data)},
        )
