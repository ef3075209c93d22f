"""Issue 16: every accounts form names the field and says what to do, in GOV.UK's
words, instead of Django's "This field is required."."""

import pytest

from accounts.forms import (
    AccountRequestForm,
    InviteForm,
    PortalPasswordResetForm,
    PortalSetPasswordForm,
    SignInForm,
)


def _errors(form) -> dict[str, list[str]]:
    form.is_valid()
    return {name: list(errors) for name, errors in form.errors.items()}


@pytest.mark.django_db
def test_empty_forms_name_each_field():
    assert _errors(SignInForm(data={})) == {
        "username": ["Enter your email address"],
        "password": ["Enter your password"],
    }
    assert _errors(PortalPasswordResetForm(data={})) == {"email": ["Enter your work email address"]}
    assert _errors(AccountRequestForm(data={})) == {
        "email": ["Enter your work email address"],
        "full_name": ["Enter your full name"],
        "job_title": ["Enter your job title"],
        "organisation": ["Select your organisation"],
    }
    assert _errors(InviteForm(data={})) == {
        "email": ["Enter their work email address"],
        "full_name": ["Enter their full name"],
        "organisation": ["Select their organisation"],
        "roles": ["Select at least one role"],
    }


@pytest.mark.django_db
def test_choosing_a_password_says_what_to_do(practitioner):
    assert _errors(PortalSetPasswordForm(practitioner, data={})) == {
        "new_password1": ["Enter a new password"],
        "new_password2": ["Enter the password again"],
    }
    different = {"new_password1": "a long passphrase one", "new_password2": "another one"}
    assert _errors(PortalSetPasswordForm(practitioner, data=different)) == {
        "new_password2": ["Enter the same password in both boxes"]
    }


def test_a_badly_formed_email_address_gets_the_govuk_message():
    assert _errors(PortalPasswordResetForm(data={"email": "not-an-email"})) == {
        "email": ["Enter an email address in the correct format, like name@example.org"]
    }
