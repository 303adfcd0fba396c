app_name = "friskliv"
urlpatterns: list = []
