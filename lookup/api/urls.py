from django.urls import path

from . import views

urlpatterns = [
    path("lookup/", views.CallerLookupView.as_view(), name="caller-lookup"),
    path("lookup/search/", views.SearchView.as_view(), name="lookup-search"),
    path("customer-duplicates/", views.DuplicateCustomersView.as_view(), name="customer-duplicates"),
    path("customer-merges/preview/", views.MergePreviewView.as_view(), name="customer-merge-preview"),
    path("customer-merges/", views.CustomerMergeView.as_view(), name="customer-merges"),
]
