from django.urls import path

from . import views

app_name = "onboarding"
urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("units/generate/", views.UnitGeneratorView.as_view(), name="generator"),
    path("batches/<int:pk>/", views.BatchView.as_view(), name="batch"),
    path("batches/<int:pk>/result.xlsx", views.BatchResultView.as_view(), name="batch-result"),
    path("<str:kind>/", views.KindView.as_view(), name="kind"),
    path("<str:kind>/template.xlsx", views.TemplateDownloadView.as_view(), name="template"),
]
