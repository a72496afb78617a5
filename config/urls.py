from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from involvement.forms import accounts as account_forms
from involvement.views import home as involvement_views
from projects import views as project_views

accounts = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=account_forms.SignInForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(form_class=account_forms.PasswordChangeForm),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(form_class=account_forms.PasswordResetForm),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=account_forms.SetPasswordForm),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("", involvement_views.home, name="home"),
    path("minimal/", involvement_views.minimal, name="minimal"),
    path("no-role/", involvement_views.no_role, name="no_role"),
    path("glossary/", project_views.glossary, name="glossary"),
    path("accounts/", include(accounts)),
    path("admin/", admin.site.urls),
    path("projects/", include("projects.urls")),
    path("forums/", include("projects.forum_urls")),
    path("boards/", include("projects.board_urls")),
    path("charts/", include("charts.urls")),
    path("reports/", include("charts.report_urls")),
    path("stories/", include("stories.urls")),
    path("", include("involvement.urls")),
]
