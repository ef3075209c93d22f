"""The practitioner's referral journey: start, the sections, check your answers,
confirmation and "my referrals".

Views are short: fetch through referrals.permissions, validate a form, call a
service, redirect."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import role_required
from accounts.models import Role
from referrals import permissions
from referrals.answers import answer_rows, check_answers_rows, people_rows
from referrals.intake import services
from referrals.intake.forms import IndicatorsForm, PeopleFormSet
from referrals.intake.presenters import my_referral_rows
from referrals.intake.sections import SECTION_FORMS
from referrals.models import Section
from referrals.permissions import Action

SECTION_TITLES = dict(Section.choices)


@role_required(Role.PRACTITIONER)
@require_http_methods(["GET", "POST"])
def referral_create(request):
    """The start page; POST starts a draft (a GET never creates anything)."""
    if request.method == "POST":
        referral = services.referral_start(author=request.user, request=request)
        return redirect("referral_section", public_id=referral.public_id, section="danger")
    return render(request, "referrals/intake/start.html")


def _draft(request, public_id):
    return permissions.referral_for_user(
        request.user, Action.EDIT_DRAFT, public_id=public_id, request=request
    )


@role_required(Role.PRACTITIONER)
def referral_tasks(request, public_id):
    referral = _draft(request, public_id)
    return render(
        request,
        "referrals/intake/tasks.html",
        {
            "referral": referral,
            "sections": [
                (slug, title, slug in referral.sections_completed)
                for slug, title in Section.choices
            ],
            "ready": not referral.missing_sections(),
        },
    )


def _next_url(referral, section: str) -> str:
    slugs = Section.values
    following = slugs[slugs.index(section) + 1 :]
    for slug in following:
        if slug not in referral.sections_completed:
            return reverse("referral_section", args=[referral.public_id, slug])
    if referral.missing_sections():
        return reverse("referral_tasks", args=[referral.public_id])
    return reverse("referral_check", args=[referral.public_id])


@role_required(Role.PRACTITIONER)
@require_http_methods(["GET", "POST"])
def referral_section(request, public_id, section):
    if section not in SECTION_TITLES:
        raise Http404
    referral = _draft(request, public_id)
    later = "later" in request.POST
    data = request.POST if request.method == "POST" else None
    if section == "indicators":
        form = IndicatorsForm(
            data,
            referral=referral,
            indicators=services.indicators_for(referral),
            partial=later,
            initial=_answers_initial(referral),
        )
    elif section == "network":
        form = PeopleFormSet(data, instance=referral, prefix="people")
    else:
        form = SECTION_FORMS[section](data, instance=referral, partial=later)
    if request.method == "POST" and form.is_valid():
        _save(referral, section, form, complete=not later and "add" not in request.POST)
        if "add" in request.POST:
            return redirect("referral_section", public_id=referral.public_id, section=section)
        if later:
            messages.success(
                request, "Your draft has been saved. You can come back to it from “My referrals”."
            )
            return redirect("referral_mine")
        return redirect(_next_url(referral, section))
    if request.method == "POST" and later and section in SECTION_FORMS:
        # "Save and come back later" (the session-timeout warning presses it too) keeps
        # every answer that can be stored; the page says what still needs correcting.
        services.draft_save_what_is_valid(referral_form=form)
        messages.info(
            request,
            "Your other answers have been saved. Correct the ones below to save them too.",
        )
    return render(
        request,
        f"referrals/intake/sections/{section}.html",
        {"referral": referral, "form": form, "section": section, "title": SECTION_TITLES[section]},
        status=400 if request.method == "POST" else 200,
    )


def _save(referral, section, form, *, complete: bool) -> None:
    if section == "indicators":
        services.draft_save_answers(referral=referral, answers=form.answers(), complete=complete)
    elif section == "network":
        services.draft_save_people(referral=referral, formset=form, complete=complete)
    else:
        services.draft_save_section(referral_form=form, section=section, complete=complete)


def _answers_initial(referral) -> dict:
    initial = {}
    for answer in referral.answers.select_related("indicator"):
        code = answer.indicator.code
        initial[f"answer_{code}"] = answer.answer
        initial[f"detail_{code}"] = answer.detail
        initial[f"observed_{code}"] = answer.observed_on
    return initial


@role_required(Role.PRACTITIONER)
@require_http_methods(["GET", "POST"])
def referral_check(request, public_id):
    """Check your answers, then submit. A resubmitted page (double click, browser
    retry) finds the referral already submitted and shows its confirmation."""
    try:
        referral = _draft(request, public_id)
    except Http404:
        submitted = (
            permissions.referrals_authored_by(request.user).filter(public_id=public_id).first()
        )
        if submitted is None or submitted.is_draft:
            raise
        return redirect("referral_confirmation", reference=submitted.reference)
    missing = referral.missing_sections()
    if request.method == "POST":
        if missing:
            messages.error(request, "Complete every section before you submit the referral.")
            return redirect("referral_tasks", public_id=referral.public_id)
        referral = services.referral_submit(referral=referral, user=request.user, request=request)
        return redirect("referral_confirmation", reference=referral.reference)
    return render(
        request,
        "referrals/intake/check.html",
        {
            "referral": referral,
            "rows": check_answers_rows(referral),
            "people": people_rows(referral),
            "answers": answer_rows(referral),
            "missing": missing,
        },
    )


@role_required(Role.PRACTITIONER)
def referral_confirmation(request, reference):
    referral = permissions.referral_for_user(request.user, reference=reference, request=request)
    if referral.author_id != request.user.pk:
        raise Http404
    return render(request, "referrals/intake/confirmation.html", {"referral": referral})


@role_required(Role.PRACTITIONER)
def referral_mine(request):
    context = my_referral_rows(request.user, request.GET.get("page"))
    return render(request, "referrals/intake/mine.html", context)


@role_required(Role.PRACTITIONER)
@require_POST
def referral_discard(request, public_id):
    referral = _draft(request, public_id)
    services.referral_discard(referral=referral, user=request.user, request=request)
    messages.success(request, "The draft has been deleted.")
    return redirect("referral_mine")
