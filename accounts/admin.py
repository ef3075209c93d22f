from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import AllowedEmailDomain, Organisation, User
from referrals.audit import audit_record


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(AllowedEmailDomain)
class AllowedEmailDomainAdmin(admin.ModelAdmin):
    list_display = ["domain", "created_at"]


def _access_of(user: User) -> dict:
    return {
        "roles": sorted(user.groups.values_list("name", flat=True)),
        "is_active": user.is_active,
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
        "organisation_wide_view": user.organisation_wide_view,
        "is_triage_lead": user.is_triage_lead,
    }


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "organisation", "is_active"]
    list_filter = ["is_active", "groups", "organisation__kind"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["full_name", "job_title", "work_phone", "organisation"]}),
        (
            "Access",
            {
                "fields": [
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "organisation_wide_view",
                ]
            },
        ),
        ("Triage notifications", {"fields": ["is_triage_lead", "notify_new_referrals"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["email", "full_name", "organisation", "password1", "password2"]}),
    ]

    def save_model(self, request, obj, form, change):
        # Remember the access before the change, to put the change on the audit trail.
        before = User.objects.filter(pk=obj.pk).first() if change else None
        request._access_before = _access_of(before) if before else {}
        if before is not None and before.is_active and not obj.is_active:
            # Deactivated here: every session ends at once, as in the portal.
            obj.session_generation = before.session_generation + 1
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        after = _access_of(user)
        before = getattr(request, "_access_before", {})
        if after != before:
            detail = {"before": before, "after": after}
            audit_record(action="user.access_changed", request=request, obj=user, detail=detail)
