"""Pages for security policy, API tokens, staff logins and emergency-access review."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from medoffice.accounts import services
from medoffice.accounts.choices import Role
from medoffice.accounts.forms import ReviewForm, StaffUserForm, TokenForm
from medoffice.accounts.models import ApiToken, EmergencyAccess, RolePolicy, User
from medoffice.core.permissions import staff_view


@staff_view("accounts.manage_security")
def security_view(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        group = get_object_or_404(Group, pk=request.POST.get("group"))
        required = request.POST.get("mfa_required") == "1"
        services.set_role_mfa(group=group, required=required, acting_user=request.user)  # type: ignore[arg-type]
        messages.success(request, f"MFA policy for {group.name} saved.")
        return redirect("accounts:security")
    labels = [role.label for role in Role]
    groups = Group.objects.filter(name__in=labels).order_by("name")
    policies = {p.group_id: p.mfa_required for p in RolePolicy.objects.all()}
    rows = [{"group": g, "mfa_required": policies.get(g.pk, False)} for g in groups]
    return render(request, "accounts/security.html", {"rows": rows})


@staff_view(None)
def tokens_view(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    raw = None
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _token, raw = services.create_api_token(
            user=user, name=form.cleaned_data["name"], acting_user=user
        )
        form = TokenForm()
    tokens = ApiToken.objects.filter(user=user)
    return render(request, "accounts/tokens.html", {"form": form, "tokens": tokens, "raw": raw})


@staff_view(None)
@require_POST
def token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.revoke_api_token(token=token, acting_user=request.user)  # type: ignore[arg-type]
    messages.success(request, f"Token {token.prefix} revoked.")
    return redirect("accounts:tokens")


@staff_view("accounts.administer_users")
def users_view(request: HttpRequest) -> HttpResponse:
    form = StaffUserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.create_staff_user_checked(
                acting_user=request.user,  # type: ignore[arg-type]
                username=data["username"],
                password=data["password"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                roles=data["roles"],
            )
        except ValidationError as exc:
            for msg in exc.messages:
                form.add_error("password" if "password" in msg.lower() else None, msg)
        else:
            messages.success(request, f"Login {user.username} created.")
            return redirect("accounts:users")
    users = User.objects.prefetch_related("groups").order_by("username")
    return render(request, "accounts/users.html", {"form": form, "users": users})


@staff_view("accounts.administer_users")
@require_POST
def user_deactivate_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    services.deactivate_user(user=user, acting_user=request.user)  # type: ignore[arg-type]
    messages.success(request, f"Login {user.username} deactivated.")
    return redirect("accounts:users")


@staff_view("accounts.administer_users")
@require_POST
def user_reset_mfa_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    services.reset_mfa(user=user, acting_user=request.user)  # type: ignore[arg-type]
    messages.success(request, f"Authenticator devices of {user.username} removed.")
    return redirect("accounts:users")


@staff_view("accounts.review_emergency_access")
def emergency_review_view(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        grant = get_object_or_404(EmergencyAccess, pk=request.POST.get("grant"))
        form = ReviewForm(request.POST)
        if form.is_valid():
            services.review_emergency_access(
                grant=grant,
                note=form.cleaned_data["note"],
                acting_user=request.user,  # type: ignore[arg-type]
            )
            messages.success(request, "Marked as reviewed.")
            return redirect("accounts:emergency_review")
        messages.error(request, "Write a review note.")
    grants = EmergencyAccess.objects.select_related("user", "reviewed_by").order_by(
        "reviewed_at", "-granted_at"
    )
    unreviewed = [g for g in grants if g.reviewed_at is None]
    reviewed = [g for g in grants if g.reviewed_at is not None][:100]
    return render(
        request,
        "accounts/emergency_review.html",
        {"unreviewed": unreviewed, "reviewed": reviewed},
    )
