"""The device store's pages (store: items, stores, cleaning, repair) and the loans'
pages (loans, deliveries, returns, NAV applications, inquiries, the report)."""

from mestring.devices import urls_loans, urls_store

app_name = "devices"
urlpatterns = [*urls_store.urlpatterns, *urls_loans.urlpatterns]
