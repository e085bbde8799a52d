from django.urls import include, path

from . import views

app_name = "talks"

urlpatterns = [
    path("", include("talks.exports.urls")),
    path("", views.home, name="home"),
]
