app_name = "respond"
urlpatterns = []
