from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

urlpatterns = [
    path("admin/", admin.site.urls),
    # Before the catalog's API, whose catch-all answers 404 for any other path under /api/v1/.
    path("api/v1/", include("access.urls")),
    path("api/v1/", include("talks.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline script to allow.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("talks.urls")),
]

# JSON under /api/, friendly pages elsewhere; a database outage is a 503 (conference/errors.py).
handler400 = "conference.errors.bad_request"
handler403 = "conference.errors.permission_denied"
handler404 = "conference.errors.page_not_found"
handler500 = "conference.errors.server_error"
