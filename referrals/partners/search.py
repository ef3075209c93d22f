"""Searching the information-sharing log (/sharing-log/, administrators): by referral
reference, organisation, kind and date range."""

import datetime as dt

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms

from accounts.models import Organisation
from referrals import timeliness
from referrals.govuk import RealDateField
from referrals.models import Disclosure, LawfulBasis

SEARCH_LIMIT = 200


class SharingLogSearchForm(forms.Form):
    reference = forms.CharField(label="Referral reference", max_length=40, required=False)
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.order_by("name"),
        required=False,
        empty_label="Any organisation",
    )
    kind = forms.ChoiceField(
        label="Kind", choices=[("", "Any kind"), *Disclosure.Kind.choices], required=False
    )
    start = RealDateField(
        label="From",
        required=False,
        require_all_fields=False,
        invalid_message="The start date must be a real date",
    )
    end = RealDateField(
        label="To",
        required=False,
        require_all_fields=False,
        invalid_message="The end date must be a real date",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Field.text("reference", field_width=10),
            Field("organisation"),
            Field("kind"),
            Field("start"),
            Field("end"),
            Button("search", "Search the log"),
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "The end date must be on or after the start date")
        return cleaned


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=timeliness.LONDON)


def sharing_log_search_rows(data: dict) -> list[dict]:
    rows = Disclosure.objects.select_related("referral", "organisation", "decided_by")
    if data.get("reference"):
        rows = rows.filter(referral__reference=data["reference"].strip().upper())
    if data.get("organisation"):
        rows = rows.filter(organisation=data["organisation"])
    if data.get("kind"):
        rows = rows.filter(kind=data["kind"])
    if data.get("start"):
        rows = rows.filter(decided_at__gte=_midnight(data["start"]))
    if data.get("end"):
        rows = rows.filter(decided_at__lt=_midnight(data["end"] + dt.timedelta(days=1)))
    bases = dict(LawfulBasis.choices)
    return [
        {
            "at": d.decided_at,
            "reference": d.referral.reference,
            "kind": d.get_kind_display(),
            "what": ", ".join(d.what) or "Not recorded",
            "with_whom": d.recipient or "Not recorded",
            "basis": bases.get(d.lawful_basis, d.lawful_basis),
            "decided_by": d.decided_by.full_name if d.decided_by_id else "The portal",
            "decision": d.get_decision_display(),
            "reason": d.reason,
        }
        for d in rows.order_by("-decided_at", "-pk")[:SEARCH_LIMIT]
    ]
