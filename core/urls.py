from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("exports/", views.ExportListView.as_view(), name="exports"),
    path("exports/<int:pk>/", views.ExportDetailView.as_view(), name="export"),
    path("exports/<int:pk>/file.xlsx", views.ExportFileView.as_view(), name="export-file"),
]
