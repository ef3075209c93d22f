"""The triage queue's filters. Every filter narrows an indexed column or an indexed
correlated look-up, so a page costs the same whatever the number of referrals."""

import copy
import datetime as dt
import functools

import django_filters
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, cached_property

from accounts.models import Organisation
from indicators.models import CatalogueVersion
from referrals.govuk import RealDateField
from referrals.models import Answer, AnswerChoice, Status, SubjectType

YES_NO = [("yes", "Yes"), ("no", "No")]


class QueueFilterForm(forms.Form):
    @cached_property
    def helper(self) -> FormHelper:
        # Built when the form is rendered: the queue page usually serves the rendered
        # form from its cache and only validates the query string.
        helper = FormHelper()
        helper.form_method = "get"
        helper.form_tag = False
        helper.layout = Layout(
            *[Field.select(name) for name in SELECTS],
            Field("received_from"),
            Field("received_to"),
            Button("filter", "Apply filters"),
        )
        return helper


SELECTS = ["status", "assigned", "urgent", "overdue", "subject_type", "organisation", "indicator"]


def _current_indicators() -> list[tuple[str, str]]:
    version = CatalogueVersion.objects.current()
    if version is None:
        return []
    return list(version.indicators.order_by("code").values_list("code", "wording"))


def default_queue(queryset):
    """The queue with no filters, or none on status: what still needs a decision."""
    return queryset.undecided()


def has_filters(params) -> bool:
    """Whether the query string filters the queue (paging alone does not)."""
    return any(value for name, value in params.items() if name != "page")


def filter_queue(request, queryset):
    """The queue's filter set, the referrals it leaves, and whether the query string
    filters at all. With no filters the filter set (a form of about 200 options, built
    and validated) is only built if the page needs its form, which it caches (issue 17):
    the referrals are then the default queue."""

    def build():
        return QueueFilter(request.GET, queryset=queryset, request=request)

    if has_filters(request.GET):
        filterset = build()
        return filterset, filterset.qs, True
    return SimpleLazyObject(build), default_queue(queryset), False


def _london_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(0)))


class GdsDateFilter(django_filters.DateFilter):
    field_class = RealDateField


class QueueFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label="Status",
        choices=[(s.value, s.label) for s in Status if s != Status.DRAFT],
        empty_label="Waiting for a decision",
    )
    assigned = django_filters.ChoiceFilter(
        label="Assigned to",
        choices=[("me", "Me"), ("unassigned", "Nobody (unassigned)")],
        empty_label="Anyone",
        method="filter_assigned",
    )
    urgent = django_filters.ChoiceFilter(
        label="Immediate danger (urgent)", choices=YES_NO, empty_label="Any", method="filter_urgent"
    )
    overdue = django_filters.ChoiceFilter(
        label="Decision overdue", choices=YES_NO, empty_label="Any", method="filter_overdue"
    )
    subject_type = django_filters.ChoiceFilter(
        label="Child or adult", choices=SubjectType.choices, empty_label="Either"
    )
    organisation = django_filters.ModelChoiceFilter(
        label="Referring organisation",
        queryset=Organisation.objects.order_by("name"),
        empty_label="Any organisation",
    )
    indicator = django_filters.ChoiceFilter(
        label="Warning sign answered Yes",
        choices=_current_indicators,
        empty_label="Any",
        method="filter_indicator",
    )
    received_from = GdsDateFilter(
        label="Received on or after",
        invalid_message="The received on or after date must be a real date",
        help_text="For example, 27 3 2026",
        method="filter_received_from",
        require_all_fields=False,
    )
    received_to = GdsDateFilter(
        label="Received on or before",
        invalid_message="The received on or before date must be a real date",
        help_text="For example, 28 3 2026",
        method="filter_received_to",
        require_all_fields=False,
    )

    class Meta:
        form = QueueFilterForm
        fields: list[str] = []

    def get_form_class(self):
        return _queue_filter_form_class()

    def filter_queryset(self, queryset):
        if not self.form.cleaned_data.get("status"):
            queryset = default_queue(queryset)
        return super().filter_queryset(queryset)

    def filter_assigned(self, queryset, name, value):
        if value == "me":
            return queryset.assigned_to_user(self.request.user)
        return queryset.unassigned()

    def filter_urgent(self, queryset, name, value):
        return queryset.filter(is_urgent=value == "yes")

    def filter_overdue(self, queryset, name, value):
        now = timezone.now()
        if value == "yes":
            return queryset.overdue(now)
        return queryset.filter(decision_due_at__gte=now)

    def filter_indicator(self, queryset, name, value):
        said_yes = Answer.objects.filter(
            referral=OuterRef("pk"), indicator__code=value, answer=AnswerChoice.YES
        )
        return queryset.filter(Exists(said_yes))

    def filter_received_from(self, queryset, name, value):
        return queryset.filter(submitted_at__gte=_london_midnight(value))

    def filter_received_to(self, queryset, name, value):
        return queryset.filter(submitted_at__lt=_london_midnight(value + dt.timedelta(days=1)))


@functools.cache
def _queue_filter_form_class():
    """The filter form's class, built once per process rather than with every filtered
    queue (issue 17): its fields depend on no request, and the organisations and warning
    signs they offer are read when a form is rendered, not when its class is made. Built
    from a copy of the filters, so that the filter set copied per request stays light."""
    filters = copy.deepcopy(QueueFilter.base_filters)
    fields = {name: filter_.field for name, filter_ in filters.items()}
    return type("QueueFilterForm", (QueueFilter._meta.form,), fields)
