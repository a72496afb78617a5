from django.urls import path

from charts import views

app_name = "charts"

urlpatterns = [
    path("trust/", views.admin_home, name="admin_home"),
    path("forum/", views.chair_home, name="chair_home"),
]
