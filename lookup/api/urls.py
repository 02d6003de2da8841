from django.urls import path

from . import views

urlpatterns = [
    path("lookup/", views.CallerLookupView.as_view(), name="caller-lookup"),
    path("lookup/search/", views.SearchView.as_view(), name="lookup-search"),
]
