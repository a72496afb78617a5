from __future__ import annotations

from django.contrib.auth import forms as auth_forms

from projects.forms_nhsuk import NHSFormMixin


class SignInForm(NHSFormMixin, auth_forms.AuthenticationForm):
    submit_label = "Sign in"
    # One message whether the username exists or not, so a failed sign-in leaks nothing.
    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "Enter a correct username and password. Both are case-sensitive.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Username"
        self.fields["password"].label = "Password"


class PasswordChangeForm(NHSFormMixin, auth_forms.PasswordChangeForm):
    submit_label = "Change password"


class PasswordResetForm(NHSFormMixin, auth_forms.PasswordResetForm):
    submit_label = "Send me a reset link"


class SetPasswordForm(NHSFormMixin, auth_forms.SetPasswordForm):
    submit_label = "Set password"
