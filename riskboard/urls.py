from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from apps.accounts import views as account_views
from apps.common import views as common_views

organization_patterns = [
    path("", include("apps.accounts.urls")),
    path("inventory/", include("apps.inventory.urls")),
    path("scanner/", include("apps.scanner.urls")),
    path("exposure/", include("apps.exposure.urls")),
    path("jobs/", include("apps.jobs.urls")),
    path("benchmarks/", include("apps.benchmarks.urls")),
    path("watch/", include("apps.watch.urls")),
    path("plans/", include("apps.plans.urls")),
    path("budget/", include("apps.budget.urls")),
    path("reports/", include("apps.reports.urls")),
    path("archive/", include("apps.archive.urls")),
    path("policies/", include("apps.policies.urls")),
]

urlpatterns = [
    path("", account_views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("apps.accounts.passwords")),
    path("o/<slug:org_slug>/", include(organization_patterns)),
    path("api/v1/", include("apps.jobs.api_urls")),
    path("shared/", include("apps.reports.shared_urls")),  # share links: token → session, no account
    path("favicon.ico", common_views.favicon),
    path("healthz", common_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
