from django.urls import path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("surveys", views.QuestionnaireViewSet)
router.register("survey-responses", views.ResponseViewSet)
router.register("survey-campaigns", views.CampaignViewSet)
router.register("survey-follow-ups", views.FollowUpViewSet)
router.register("survey-calls", views.SurveyCallViewSet, basename="survey-call")

urlpatterns = [
    path("reports/satisfaction/", views.SatisfactionReportView.as_view(), name="report-satisfaction"),
    path("reports/loyalty/", views.LoyaltyReportView.as_view(), name="report-loyalty"),
    *router.urls,
]
