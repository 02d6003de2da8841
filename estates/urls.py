from django.urls import path

from . import views

app_name = "estates"
urlpatterns = [
    path("projects/", views.ProjectListView.as_view(), name="project-list"),
    path("projects/<int:pk>/", views.ProjectDetailView.as_view(), name="project-detail"),
    path("units/", views.UnitListView.as_view(), name="unit-list"),
    path("units/<int:pk>/", views.UnitDetailView.as_view(), name="unit-detail"),
]
