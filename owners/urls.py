from django.urls import path

from . import views

app_name = "owners"

urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-in/verify/", views.verify, name="verify"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("repairs/", views.repair_list, name="repairs"),
    path("repairs/new/", views.repair_new, name="repair-new"),
    path("repairs/<int:pk>/", views.repair_detail, name="repair-detail"),
    path("repairs/<int:pk>/rate/", views.repair_rate, name="repair-rate"),
    path("repairs/<int:pk>/photos/<int:photo_pk>/", views.repair_photo, name="repair-photo"),
    path("complaints/", views.complaint_list, name="complaints"),
    path("complaints/new/", views.complaint_new, name="complaint-new"),
    path("complaints/<int:pk>/", views.complaint_detail, name="complaint-detail"),
    path("complaints/<int:pk>/rate/", views.complaint_rate, name="complaint-rate"),
    path("surveys/<int:pk>/", views.survey, name="survey"),
    path("privacy/", views.privacy, name="privacy"),
    path("privacy/my-data.xlsx", views.data_export, name="data-export"),
]
