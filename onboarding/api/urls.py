from django.urls import path

from . import views

urlpatterns = [
    path("unit-generator/preview/", views.UnitPreviewView.as_view(), name="unit-generator-preview"),
    path("unit-generator/", views.UnitPlanView.as_view(), name="unit-generator"),
    path("imports/", views.ImportBatchListView.as_view(), name="import-batches"),
    path("imports/templates/<str:kind>/", views.ImportTemplateView.as_view(), name="import-template"),
    path("imports/<int:pk>/", views.ImportBatchDetailView.as_view(), name="import-batch"),
    path("imports/<int:pk>/confirm/", views.ImportBatchConfirmView.as_view(), name="import-batch-confirm"),
    path("imports/<int:pk>/result/", views.ImportResultView.as_view(), name="import-batch-result"),
]
