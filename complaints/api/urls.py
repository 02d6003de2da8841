from django.urls import path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("complaints", views.ComplaintViewSet, basename="complaint")
router.register("repair-orders", views.RepairOrderViewSet, basename="repair-order")
router.register("return-visits", views.ReturnVisitViewSet, basename="return-visit")
router.register("crises", views.CrisisViewSet, basename="crisis")
router.register("cases", views.CaseViewSet, basename="case")
router.register("defects", views.DefectViewSet, basename="defect")
router.register("delivery-objections", views.ObjectionViewSet, basename="delivery-objection")

urlpatterns = [
    # (before the router's, whose return-visits/<pk>/ would take "due" for a visit's id)
    path("return-visits/due/", views.DueReturnVisitListView.as_view(), name="return-visit-due"),
    path("reports/complaints-monthly/", views.MonthlyReportView.as_view(), name="report-complaints-monthly"),
    path("reports/defects-weekly/", views.WeeklyDefectsView.as_view(), name="report-defects-weekly"),
    path("reports/quality-handbook/", views.QualityHandbookView.as_view(), name="report-quality-handbook"),
    *router.urls,
]
