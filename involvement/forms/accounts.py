from __future__ import annotations

from django.contrib.auth import forms as auth_forms
from django.core.validators import MaxLengthValidator

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
        # Django sets the username's max_length after the field is built, so it is not checked:
        # an overlong username then went on to the sign-in log (django-axes), whose column is
        # 255 characters, and PostgreSQL refused it with a server error.
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))


class PasswordChangeForm(NHSFormMixin, auth_forms.PasswordChangeForm):
    submit_label = "Change password"


class PasswordResetForm(NHSFormMixin, auth_forms.PasswordResetForm):
    submit_label = "Send me a reset link"


class SetPasswordForm(NHSFormMixin, auth_forms.SetPasswordForm):
    submit_label = "Set password"
