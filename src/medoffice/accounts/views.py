"""Sign-in, second factor, idle logoff and the session endpoints."""

from __future__ import annotations

import base64
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from medoffice.accounts import services
from medoffice.accounts.forms import CodeForm
from medoffice.accounts.mfa import confirmed_devices, mfa_step_url
from medoffice.core.permissions import public_view, staff_view


def _next_url(request: HttpRequest) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(nxt, {request.get_host()}, request.is_secure()):
        return nxt
    return str(settings.LOGIN_REDIRECT_URL)


class StaffLoginView(LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = False

    def get_success_url(self) -> str:
        step = mfa_step_url(self.request.user)
        url = super().get_success_url()
        if step is not None:
            return f"{step}?{urlencode({'next': url})}"
        return url


login_view = public_view(StaffLoginView.as_view())  # type: ignore[type-var]


@public_view
def mfa_view(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not user.is_authenticated:
        return redirect("accounts:login")
    devices = confirmed_devices(user)
    if not devices:
        return redirect("accounts:mfa_setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for device in devices:
            if device.verify_token(form.cleaned_data["code"]):
                otp_login(request, device)
                return redirect(_next_url(request))
        services.record_mfa_failure(user=user, request=request)
        form.add_error("code", "That code is not right. Try the current one.")
    elif request.method == "POST":
        services.record_mfa_failure(user=user, request=request)
    return render(request, "accounts/mfa.html", {"form": form, "next": _next_url(request)})


@public_view
def mfa_setup_view(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not user.is_authenticated:
        return redirect("accounts:login")
    if confirmed_devices(user) and not user.is_verified():
        return redirect("accounts:mfa")
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": "Authenticator app"}
    )
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            services.confirm_totp_device(device=device, acting_user=user)
            otp_login(request, device)
            messages.success(request, "Your authenticator app is set up.")
            return redirect(_next_url(request))
        services.record_mfa_failure(user=user, request=request)
        form.add_error("code", "That code is not right. Try the current one.")
    secret = base64.b32encode(device.bin_key).decode()
    qr = segno.make(device.config_url, error="m").svg_data_uri(scale=4)
    return render(
        request,
        "accounts/mfa_setup.html",
        {"form": form, "qr": qr, "secret": secret, "next": _next_url(request)},
    )


@public_view
@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("accounts:login")


def _minutes_text() -> str:
    return f"{float(settings.MEDOFFICE_IDLE_MINUTES):g}"


@public_view
def timed_out_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        logout(request)
    messages.info(request, f"You were signed out after {_minutes_text()} minutes without activity.")
    return redirect("accounts:login")


@staff_view(None)
@require_POST
def keepalive_view(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"ok": True, "idle_minutes": float(settings.MEDOFFICE_IDLE_MINUTES)})
