from django.urls import path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("messages", views.OutboundMessageViewSet)

urlpatterns = [
    path("messages/delivery-report/", views.DeliveryReportView.as_view(), name="message-delivery-report"),
    *router.urls,
]
