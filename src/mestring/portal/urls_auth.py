"""The citizen's login, and the development identity provider (404 unless
MESTRING_DEV_OIDC is on)."""

from django.urls import path

from mestring.portal import devprovider, views_auth

urlpatterns = [
    path("min-side/logg-inn/", views_auth.login, name="login"),
    path("min-side/logg-inn/start/", views_auth.login_start, name="login_start"),
    path("min-side/logg-inn/tilbake/", views_auth.callback, name="callback"),
    path("min-side/velg/", views_auth.choose, name="choose"),
    path("min-side/logg-ut/", views_auth.logout, name="logout"),
    path(
        "dev-oidc/.well-known/openid-configuration",
        devprovider.discovery,
        name="dev_oidc_discovery",
    ),
    path("dev-oidc/jwks", devprovider.jwks, name="dev_oidc_jwks"),
    path("dev-oidc/authorize", devprovider.authorize, name="dev_oidc_authorize"),
    path("dev-oidc/token", devprovider.token, name="dev_oidc_token"),
]
