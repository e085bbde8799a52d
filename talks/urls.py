from django.urls import path

from . import views

app_name = "talks"

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "conferences/<slug:conference>/talks/<slug:talk>/",
        views.talk_detail,
        name="talk-detail",
    ),
]
