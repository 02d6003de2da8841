from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "complaints"
urlpatterns = [
    # The board has its own path so that the navigation does not mark it active on every page of the app.
    path("", RedirectView.as_view(pattern_name="complaints:complaint-list"), name="index"),
    path("all/", views.ComplaintListView.as_view(), name="complaint-list"),
    path("queue/", views.MyQueueView.as_view(), name="my-queue"),
    path("all/new/", views.ComplaintCreateView.as_view(), name="complaint-create"),
    path("all/<int:pk>/", views.ComplaintDetailView.as_view(), name="complaint-detail"),
    path("all/<int:pk>/act/<slug:action>/", views.ComplaintDetailView.as_view(), name="complaint-action"),
    path("all/<int:pk>/case/", views.CaseCreateView.as_view(), name="case-create"),
    path("return-visits/", views.ReturnVisitQueueView.as_view(), name="return-visit-queue"),
    path("repairs/", views.RepairListView.as_view(), name="repair-list"),
    path("repairs/new/", views.RepairCreateView.as_view(), name="repair-create"),
    path("repairs/<int:pk>/", views.RepairDetailView.as_view(), name="repair-detail"),
    path("repairs/<int:pk>/act/<slug:action>/", views.RepairDetailView.as_view(), name="repair-action"),
    path("repairs/<int:pk>/photos/<int:photo_pk>/", views.RepairPhotoView.as_view(), name="repair-photo"),
    path("defects/", views.DefectListView.as_view(), name="defect-list"),
    path("defects/new/", views.DefectCreateView.as_view(), name="defect-create"),
    path("defects/earlier/", views.EarlierDefectsView.as_view(), name="earlier-defects"),
    path("handbook/", views.HandbookView.as_view(), name="handbook"),
    path("report/", views.MonthlyReportView.as_view(), name="monthly-report"),
    path("crises/", views.CrisisListView.as_view(), name="crisis-list"),
    path("crises/<int:pk>/", views.CrisisDetailView.as_view(), name="crisis-detail"),
    path("crises/<int:pk>/act/<slug:action>/", views.CrisisDetailView.as_view(), name="crisis-action"),
    path("objections/", views.ObjectionListView.as_view(), name="objection-list"),
    path("objections/new/", views.ObjectionCreateView.as_view(), name="objection-create"),
    path("objections/<int:pk>/", views.ObjectionDetailView.as_view(), name="objection-detail"),
    path("cases/", views.CaseListView.as_view(), name="case-list"),
    path("inbox/", views.InboxView.as_view(), name="inbox"),
]
