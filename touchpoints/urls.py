from django.urls import path

from . import views

app_name = "touchpoints"
urlpatterns = [
    path("tasks/", views.CareTaskListView.as_view(), name="task-list"),
    path("tasks/<int:pk>/", views.CareTaskDetailView.as_view(), name="task-detail"),
    path("scorecard/", views.ScorecardView.as_view(), name="scorecard"),
    path("plan/", views.PlanView.as_view(), name="plan"),
    path("steps/", views.CatalogueView.as_view(), name="catalogue"),
    path("open-days/", views.OpenDayListView.as_view(), name="open-day-list"),
    path("open-days/<int:pk>/", views.OpenDayDetailView.as_view(), name="open-day-detail"),
    path("meetings/", views.MeetingListView.as_view(), name="meeting-list"),
    path("meetings/new/", views.MeetingCreateView.as_view(), name="meeting-create"),
    path("meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting-detail"),
    path("visit-rounds/", views.VisitRoundListView.as_view(), name="visit-round-list"),
    path("visit-rounds/<int:pk>/", views.VisitRoundDetailView.as_view(), name="visit-round-detail"),
    path("messages/", views.MessageListView.as_view(), name="message-list"),
]
