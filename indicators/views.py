"""Managers and administrators edit the catalogue in the portal. Each change
publishes a new version; referrals keep the version they were answered against."""

from django.contrib import messages
from django.forms.models import model_to_dict
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.decorators import role_required
from accounts.models import Role
from indicators.forms import IndicatorForm, NewIndicatorForm
from indicators.models import CatalogueVersion
from indicators.services import EDITABLE, catalogue_publish

EDITORS = (Role.MANAGER, Role.ADMINISTRATOR)


@role_required(*EDITORS)
def catalogue_list(request):
    current = CatalogueVersion.objects.current()
    return render(
        request,
        "indicators/catalogue.html",
        {
            "version": current,
            "indicators": current.indicators.order_by("group", "order"),
            "history": CatalogueVersion.objects.select_related("created_by")[:20],
        },
    )


def _publish(request, form, code: str) -> None:
    changes = {code: {name: form.cleaned_data[name] for name in EDITABLE}}
    version = catalogue_publish(
        user=request.user,
        changes=changes,
        summary=form.cleaned_data["change_summary"],
        request=request,
    )
    messages.success(request, f"Catalogue version {version.number} published.")


@role_required(*EDITORS)
@require_http_methods(["GET", "POST"])
def indicator_edit(request, code):
    current = CatalogueVersion.objects.current()
    indicator = current.indicators.filter(code=code).first()
    if indicator is None:
        raise Http404
    form = IndicatorForm(request.POST or None, initial=model_to_dict(indicator, fields=EDITABLE))
    if request.method == "POST" and form.is_valid():
        _publish(request, form, code)
        return redirect("catalogue_list")
    return render(request, "indicators/edit.html", {"form": form, "indicator": indicator})


@role_required(*EDITORS)
@require_http_methods(["GET", "POST"])
def indicator_add(request):
    current = CatalogueVersion.objects.current()
    codes = current.indicators.values_list("code", flat=True)
    form = NewIndicatorForm(request.POST or None, existing_codes=codes, initial={"active": True})
    if request.method == "POST" and form.is_valid():
        _publish(request, form, form.cleaned_data["code"])
        return redirect("catalogue_list")
    return render(request, "indicators/edit.html", {"form": form, "indicator": None})
