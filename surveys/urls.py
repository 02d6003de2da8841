from django.urls import path, re_path

from . import views

app_name = "surveys"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("responses/", views.ResponseListView.as_view(), name="response-list"),
    path("responses/<int:pk>/", views.ResponseDetailView.as_view(), name="response-detail"),
    path("campaigns/", views.CampaignListView.as_view(), name="campaign-list"),
    path("campaigns/new/", views.CampaignCreateView.as_view(), name="campaign-create"),
    path("campaigns/<int:pk>/", views.CampaignDetailView.as_view(), name="campaign-detail"),
    re_path(
        r"^campaigns/(?P<pk>\d+)/(?P<move>send|close)/$", views.CampaignActionView.as_view(), name="campaign-action"
    ),
    path("calls/", views.CallQueueView.as_view(), name="call-queue"),
    path("calls/<int:pk>/", views.CallEntryView.as_view(), name="call-entry"),
    path("follow-ups/", views.FollowUpListView.as_view(), name="follow-up-list"),
    path("follow-ups/<int:pk>/", views.FollowUpDetailView.as_view(), name="follow-up-detail"),
    re_path(
        r"^follow-ups/(?P<pk>\d+)/(?P<move>start|resolve|close|reopen)/$",
        views.FollowUpActionView.as_view(),
        name="follow-up-action",
    ),
    path("import/", views.ImportView.as_view(), name="import"),
    path("import/<int:pk>/", views.ImportBatchView.as_view(), name="import-batch"),
    # The public page a customer opens from the message: no sign-in.
    path("s/<str:token>/", views.public_survey, name="public"),
]
