from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts import services, tokens
from apps.accounts.access import LAST_ORGANIZATION_SESSION_KEY, organization_view
from apps.accounts.forms import ApiTokenCreateForm, ClientForm, MemberAddForm, MemberRoleForm
from apps.accounts.models import Membership, Organization
from apps.accounts.selectors import memberships_for_user, organization_members
from apps.common.forms import apply_validation_error


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send the user to the organization they used last, or their first one."""
    memberships = list(memberships_for_user(user=request.user))
    if not memberships:
        return render(request, "accounts/no_organization.html", status=200)
    last_slug = request.session.get(LAST_ORGANIZATION_SESSION_KEY)
    chosen = next((m for m in memberships if m.organization.slug == last_slug), memberships[0])
    return redirect(chosen.organization)


@require_GET
@organization_view(allow_client=True)
def organization_home(request: HttpRequest, organization: Organization) -> HttpResponse:
    if request.membership.is_client_viewer:
        return redirect("reports:index", org_slug=organization.slug)
    return redirect("exposure:dashboard", org_slug=organization.slug)


@require_http_methods(["GET", "POST"])
@organization_view(Membership.Role.ADMIN)
def member_list(request: HttpRequest, organization: Organization) -> HttpResponse:
    form = MemberAddForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                membership = services.membership_add(organization=organization, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, f"{membership.user} joined as {membership.get_role_display()}.")
                return redirect("accounts:member_list", org_slug=organization.slug)
        status = 422
    context = {
        "organization": organization,
        "members": organization_members(organization=organization),
        "form": form,
        "role_choices": MemberRoleForm.base_fields["role"].choices,
    }
    return render(request, "accounts/member_list.html", context, status=status)


@require_POST
@organization_view(Membership.Role.ADMIN)
def member_change_role(request: HttpRequest, organization: Organization, membership_id: int) -> HttpResponse:
    membership = get_object_or_404(Membership, pk=membership_id, organization=organization)
    form = MemberRoleForm(request.POST)
    if form.is_valid():
        try:
            services.membership_change_role(membership=membership, role=form.cleaned_data["role"])
            messages.success(request, f"{membership.user} is now {membership.get_role_display()}.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return redirect("accounts:member_list", org_slug=organization.slug)


@require_POST
@organization_view(Membership.Role.ADMIN)
def member_remove(request: HttpRequest, organization: Organization, membership_id: int) -> HttpResponse:
    membership = get_object_or_404(Membership, pk=membership_id, organization=organization)
    try:
        services.membership_remove(membership=membership)
        messages.success(request, f"{membership.user} no longer belongs to {organization}.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("accounts:member_list", org_slug=organization.slug)


@require_http_methods(["GET", "POST"])
@organization_view(Membership.Role.VIEWER)
def client_list(request: HttpRequest, organization: Organization) -> HttpResponse:
    form = ClientForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not request.membership.is_admin:
            raise PermissionDenied("Only an admin can add clients.")
        if form.is_valid():
            try:
                client = services.client_create(organization=organization, name=form.cleaned_data["name"])
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, f"Client {client} added.")
                return redirect("accounts:client_list", org_slug=organization.slug)
        status = 422
    context = {"organization": organization, "clients": organization.clients.all(), "form": form}
    return render(request, "accounts/client_list.html", context, status=status)


@require_http_methods(["GET", "POST"])
@organization_view(Membership.Role.ADMIN)
def token_list(request: HttpRequest, organization: Organization) -> HttpResponse:
    """API tokens for the ingest API; a new token's plaintext is shown on this response only."""
    form = ApiTokenCreateForm(request.POST or None)
    status = 200
    new_token = None
    if request.method == "POST":
        if form.is_valid():
            try:
                token, raw = tokens.api_token_create(
                    organization=organization,
                    name=form.cleaned_data["name"],
                    created_by=request.user,
                    expires_in_days=form.cleaned_data["expires_in_days"],
                )
            except ValidationError as error:
                apply_validation_error(form, error)
                status = 422
            else:
                new_token = {"token": token, "raw": raw}
                form = ApiTokenCreateForm()
        else:
            status = 422
    context = {
        "organization": organization,
        "tokens": tokens.api_token_list(organization=organization),
        "form": form,
        "new_token": new_token,
    }
    response = render(request, "accounts/token_list.html", context, status=status)
    response["Cache-Control"] = "no-store"  # the page may hold a plaintext token
    return response


@require_POST
@organization_view(Membership.Role.ADMIN)
def token_revoke(request: HttpRequest, organization: Organization, token_id: int) -> HttpResponse:
    token = tokens.api_token_get(organization=organization, token_id=token_id)
    tokens.api_token_revoke(token=token)
    messages.success(request, f"Token {token} is revoked; requests with it now get 401.")
    return redirect("accounts:token_list", org_slug=organization.slug)
