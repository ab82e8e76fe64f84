from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from apps.accounts.access import organization_view
from apps.accounts.models import Organization
from apps.common.views import render_section_preview


@require_GET
@organization_view()
def index(request: HttpRequest, organization: Organization) -> HttpResponse:
    return render_section_preview(request, organization, "plans")
