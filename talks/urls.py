from django.urls import include, path

from . import views

app_name = "talks"

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("talks.exports.urls")),
]
