from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("units", views.UnitViewSet, basename="owner-api-unit")
router.register("repairs", views.RepairViewSet, basename="owner-api-repair")
router.register("complaints", views.ComplaintViewSet, basename="owner-api-complaint")
router.register("surveys", views.SurveyViewSet, basename="owner-api-survey")

urlpatterns = [
    path("auth/code/", views.CodeRequestView.as_view(), name="owner-api-code"),
    path("auth/token/", views.TokenView.as_view(), name="owner-api-token"),
    path("auth/logout/", views.LogoutView.as_view(), name="owner-api-logout"),
    path("consent/", views.ConsentView.as_view(), name="owner-api-consent"),
    path("my-data/", views.MyDataView.as_view(), name="owner-api-my-data"),
    path("erasure-requests/", views.ErasureView.as_view(), name="owner-api-erasure"),
    *router.urls,
]
