from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from core.api import auth as api_auth
from core.api import errors as api_errors
from core.api.routing import AppRoutes
from core.api.transactions import reads_outside_transactions

from . import views

# The API documentation pages (Swagger UI, ReDoc) start themselves with inline script and style: the
# only pages whose policy allows it. They show the schema, no customer data.
docs_policy = csp_update({"script-src": ["'unsafe-inline'"], "style-src": ["'unsafe-inline'"], "worker-src": ["blob:"]})

# What only reads is answered outside a transaction, what writes in one (core.api.transactions).
api_v1 = reads_outside_transactions(
    [
        path("auth/token/", api_auth.ObtainTokenView.as_view(), name="api-token"),
        path("auth/logout/", api_auth.RevokeTokenView.as_view(), name="api-logout"),
        path("auth/logout-all/", api_auth.RevokeAllTokensView.as_view(), name="api-logout-all"),
        AppRoutes("estates.api.urls"),
        AppRoutes("members.api.urls"),
        AppRoutes("touchpoints.api.urls"),
        AppRoutes("complaints.api.urls"),
        AppRoutes("surveys.api.urls"),
        AppRoutes("lookup.api.urls"),
        AppRoutes("onboarding.api.urls"),
        path("owner/", include("owners.api.urls")),
        re_path(r"^", api_errors.not_found),  # anything else, newlines included
    ]
)

urlpatterns = [
    path("api/v1/", include(api_v1)),  # first: the tablets' every request
    path("", views.home, name="home"),
    path("healthz/", views.healthz, name="healthz"),
    path("favicon.ico", RedirectView.as_view(url=static("favicon.svg"), permanent=True)),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("estates/", include("estates.urls")),
    path("members/", include("members.urls")),
    path("touchpoints/", include("touchpoints.urls")),
    path("complaints/", include("complaints.urls")),
    path("surveys/", include("surveys.urls")),
    path("lookup/", include("lookup.urls")),
    path("onboarding/", include("onboarding.urls")),
    path("", include("core.urls")),
    path("owner/", include("owners.urls")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", docs_policy(SpectacularSwaggerView.as_view(url_name="api-schema")), name="api-docs"),
    path("api/redoc/", docs_policy(SpectacularRedocView.as_view(url_name="api-schema")), name="api-redoc"),
]
