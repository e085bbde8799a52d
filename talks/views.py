from django.shortcuts import render

from .models import Conference


def home(request):
    return render(request, "talks/home.html", {"conferences": Conference.objects.all()})
