from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("projects", views.ProjectViewSet)
router.register("buildings", views.BuildingViewSet)
router.register("units", views.UnitViewSet)
router.register("component-types", views.ComponentTypeViewSet)
router.register("warranty-overrides", views.WarrantyOverrideViewSet)

urlpatterns = router.urls
