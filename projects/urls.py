from django.urls import path

from projects import views
from projects.views import imports, projects

app_name = "projects"

urlpatterns = [
    path("", projects.project_list, name="list"),
    path("mine/", views.lead_home, name="lead_home"),
    path("new/", projects.project_create, name="create"),
    path("<int:pk>/", projects.project_detail, name="detail"),
    path("<int:pk>/edit/", projects.project_edit, name="edit"),
    path("<int:pk>/activate/", projects.project_activate, name="activate"),
    path("<int:pk>/plan/sign-off/", projects.plan_sign_off, name="plan_sign_off"),
    path("<int:pk>/progress/add/", projects.score_add, name="score_add"),
    path("import/", imports.import_start, name="import_start"),
    path("import/<slug:kind>/", imports.import_upload, name="import_upload"),
    path("import/<slug:kind>/preview/", imports.import_preview, name="import_preview"),
    path("import/<slug:kind>/apply/", imports.import_apply, name="import_apply"),
    path("import/jobs/<int:pk>/", imports.import_job, name="import_job"),
    path("import/jobs/<int:pk>/progress/", imports.import_job_progress, name="import_job_progress"),
]
