from django.urls import path

from . import views

app_name = "members"
urlpatterns = [
    path("customers/", views.CustomerListView.as_view(), name="customer-list"),
    path("customers/new/", views.CustomerFormView.as_view(), name="customer-create"),
    path("customers/<int:pk>/", views.CustomerDetailView.as_view(), name="customer-detail"),
    path("customers/<int:pk>/edit/", views.CustomerFormView.as_view(), name="customer-update"),
    path("customers/<int:pk>/<slug:action>/", views.CustomerActionView.as_view(), name="customer-action"),
    path("my-day/", views.MyDayView.as_view(), name="my-day"),
    path("visits/", views.VisitListView.as_view(), name="visit-list"),
    path("visits/new/", views.VisitFormView.as_view(), name="visit-create"),
    path("leads/", views.LeadListView.as_view(), name="lead-list"),
    path("leads/<int:pk>/", views.LeadDetailView.as_view(), name="lead-detail"),
    path("leads/<int:pk>/<slug:action>/", views.LeadActionView.as_view(), name="lead-action"),
    path("approvals/", views.ApprovalInboxView.as_view(), name="approvals"),
    path("approvals/<int:pk>/<slug:decision>/", views.ApprovalDecisionView.as_view(), name="approval-decide"),
    path("reports/daily/", views.DailyReportView.as_view(), name="daily-report"),
    path("reports/weekly/", views.WeeklySummaryView.as_view(), name="weekly-summary"),
    path("purchases/", views.PurchaseListView.as_view(), name="purchase-list"),
    path("purchases/<int:pk>/", views.PurchaseDetailView.as_view(), name="purchase-detail"),
    path("purchases/<int:pk>/<slug:step>/", views.PurchaseActionView.as_view(), name="purchase-action"),
]
