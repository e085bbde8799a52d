from rest_framework.routers import SimpleRouter

from .api import ApiTokenViewSet

app_name = "access"

router = SimpleRouter()
router.register("tokens", ApiTokenViewSet, basename="token")
urlpatterns = router.urls
