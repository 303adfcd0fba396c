app_name = "rehab"
urlpatterns: list = []
