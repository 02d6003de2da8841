from django.urls import path

from . import views

app_name = "lookup"
urlpatterns = [
    path("", views.SearchView.as_view(), name="search"),
    path("caller/", views.CallerView.as_view(), name="caller"),
    path("duplicates/", views.DuplicatesView.as_view(), name="duplicates"),
    path("pick/<slug:kind>/", views.PickView.as_view(), name="pick"),
    path("merge/", views.MergeView.as_view(), name="merge"),
]
