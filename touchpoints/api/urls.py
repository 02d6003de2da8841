from django.urls import path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("messages", views.OutboundMessageViewSet)
router.register("message-templates", views.MessageTemplateViewSet)
router.register("steps", views.StepViewSet)
router.register("actions", views.ActionViewSet)
router.register("planned-actions", views.ProjectActionViewSet)
router.register("executions", views.ExecutionViewSet)
router.register("care-tasks", views.CareTaskViewSet)
router.register("care-issues", views.CareIssueViewSet)
router.register("open-days", views.SiteOpenDayViewSet)
router.register("visit-rounds", views.VisitRoundViewSet)
router.register("meetings", views.MeetingViewSet)

urlpatterns = [
    path("messages/delivery-report/", views.DeliveryReportView.as_view(), name="message-delivery-report"),
    path(
        "reports/return-visit-coverage/", views.ReturnVisitCoverageView.as_view(), name="report-return-visit-coverage"
    ),
    path("reports/scorecard/", views.ScorecardReportView.as_view(), name="report-scorecard"),
    *router.urls,
]
