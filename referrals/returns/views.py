"""The returns page: a manager picks a list and a period, sees how many rows it has and
which break the census's rules, then downloads it as CSV or XLSX (audited)."""

from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from accounts.decorators import role_required
from accounts.models import Role
from referrals.permissions import can_download_returns
from referrals.returns import documents
from referrals.returns import services as returns
from referrals.returns.forms import ReturnForm


def _form(request) -> ReturnForm:
    if not can_download_returns(request.user):
        raise Http404
    return ReturnForm(request.GET if "kind" in request.GET else None)


@role_required(Role.MANAGER)
@require_GET
def return_check(request):
    form = _form(request)
    context = {"form": form}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        result = returns.return_build(kind=data["kind"], start=data["start"], end=data["end"])
        query = urlencode(request.GET)
        context |= {
            "result": result,
            "downloads": [
                (label, f"{reverse('return_download', args=[fmt])}?{query}")
                for fmt, label in (("csv", "CSV"), ("xlsx", "Excel workbook (XLSX)"))
            ],
        }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "referrals/returns/check.html", context, status=status)


@role_required(Role.MANAGER)
@require_GET
def return_download(request, file_format):
    form = _form(request)
    if file_format not in documents.WRITERS or not form.is_valid():
        raise Http404
    data = form.cleaned_data
    result = returns.return_build(kind=data["kind"], start=data["start"], end=data["end"])
    returns.return_downloaded(
        result=result, user=request.user, file_format=file_format, request=request
    )
    write, content_type = documents.WRITERS[file_format]
    response = HttpResponse(write(result), content_type=content_type)
    name = f"{result.kind}-{result.start:%Y%m%d}-{result.end:%Y%m%d}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    return response
