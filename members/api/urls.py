from django.urls import path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("customers", views.CustomerViewSet)
router.register("visits", views.VisitViewSet)
router.register("leads", views.LeadViewSet)
router.register("lead-approvals", views.LeadApprovalViewSet)
router.register("memberships", views.MembershipViewSet)
router.register("purchases", views.PurchaseViewSet)

follow_ups = views.FollowUpViewSet.as_view({"get": "list", "post": "create"})
follow_up = views.FollowUpViewSet.as_view({"get": "retrieve"})
grade_changes = views.GradeChangeViewSet.as_view({"get": "list"})

urlpatterns = [
    path("leads/<int:lead_pk>/follow-ups/", follow_ups, name="lead-follow-up-list"),
    path("leads/<int:lead_pk>/follow-ups/<int:pk>/", follow_up, name="lead-follow-up-detail"),
    path("leads/<int:lead_pk>/grade-changes/", grade_changes, name="lead-grade-change-list"),
    path("reports/weekly-summary/", views.WeeklySummaryReportView.as_view(), name="report-weekly-summary"),
    *router.urls,
]
