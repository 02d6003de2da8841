app_name = "touchpoints"
urlpatterns = []
