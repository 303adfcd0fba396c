"""The citizen's pages (min side): login and the choice of whose pages to show, then
the pages themselves; and the staff's view of what citizens wrote."""

from mestring.portal import urls_auth, urls_pages

app_name = "portal"
urlpatterns = [*urls_auth.urlpatterns, *urls_pages.urlpatterns]
