"""Signing in (a password, then a code where two-factor sign-in is on), the person's own
security page, and staff's pages for lockouts and other accounts."""

from __future__ import annotations

import datetime
import functools
import io
import time

import qrcode
import qrcode.image.svg
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice

from accounts import services
from accounts.forms import CodeForm, QueuedPasswordResetForm
from accounts.models import EventKind
from accounts.sessions import LANGUAGE_SESSION_KEY
from accounts.signals import METHOD_ATTR
from accounts.verification import session_verified

# A password accepted, waiting for the second factor: {"user", "backend", "at"}.
PENDING_KEY = "pending_sign_in"
PENDING_SECONDS = 5 * 60


def _next_url(request: HttpRequest, default: str = "") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default or settings.LOGIN_REDIRECT_URL


def _with_next(name: str, request: HttpRequest) -> str:
    return f"{reverse(name)}?{urlencode({'next': _next_url(request)})}"


@login_not_required
@sensitive_post_parameters()
@csrf_protect
@never_cache
def sign_in(request: HttpRequest, extra_context=None) -> HttpResponse:
    """The one sign-in page (the admin's login sends people here too). Failures count
    towards a lockout (django-axes); an account with two-factor sign-in is signed in only
    once its code is typed on the next page."""
    if not settings.PASSWORD_SIGN_IN:
        if request.method == "POST":
            messages.error(request, _("Sign in with your organisation's account."))
        return render(request, "registration/login.html", _login_context(request, None))
    form = AuthenticationForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        if services.two_factor_enabled(user):
            request.session[PENDING_KEY] = {
                "user": user.pk,
                "backend": user.backend,
                "at": int(time.time()),
            }
            return redirect(_with_next("accounts:two_factor_verify", request))
        setattr(request, METHOD_ATTR, "password")
        auth_login(request, user)
        return redirect(_next_url(request))
    return render(request, "registration/login.html", _login_context(request, form))


def _login_context(request: HttpRequest, form) -> dict:
    return {
        "form": form,
        "next": _next_url(request),
        "sso": settings.OIDC_NAME if settings.OIDC_ENABLED else "",
    }


def _pending_user(request: HttpRequest):
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    if user is not None:
        user.backend = pending["backend"]
    return user


@login_not_required
@sensitive_post_parameters()
@never_cache
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step: a code from the authenticator app, or a backup code (each works
    once). Also confirms an already signed-in session that a page needs verified."""
    signed_in = request.user.is_authenticated
    user = request.user if signed_in else _pending_user(request)
    if user is None:
        messages.error(request, _("Sign in again: the first step was too long ago."))
        return redirect(_with_next("login", request))
    if not services.two_factor_enabled(user):
        return redirect(_with_next("accounts:two_factor_setup", request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.two_factor_throttled(user):
            form.add_error("code", _("Too many wrong codes: wait a minute, then try again."))
        else:
            device = services.two_factor_check(
                user=user, code=form.cleaned_data["code"], request=request
            )
            if device is None:
                form.add_error("code", _("That code is not right, or was used already."))
            else:
                backup = isinstance(device, StaticDevice)
                if not signed_in:
                    request.session.pop(PENDING_KEY, None)
                    setattr(
                        request,
                        METHOD_ATTR,
                        "password and a backup code"
                        if backup
                        else "password and authenticator app",
                    )
                    auth_login(request, user)
                request.session[DEVICE_ID_SESSION_KEY] = device.persistent_id
                if backup:
                    messages.warning(
                        request,
                        _(
                            "You used a backup code; %(left)s remain. "
                            "Make new ones on your security page."
                        )
                        % {"left": device.token_set.count()},
                    )
                return redirect(_next_url(request))
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": _next_url(request), "signed_in": signed_in},
    )


def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (drawn here, not by any outside
    service), type a code to prove it works, then keep the backup codes shown once."""
    if services.two_factor_enabled(request.user):
        if session_verified(request.user):
            messages.info(request, _("Two-factor sign-in is on already."))
            return redirect("accounts:security")
        return _confirm_first(request)
    device = services.two_factor_pending_device(request.user)
    form = CodeForm(request.POST or None)
    form.fields["code"].help_text = _("The six digits the app shows now.")
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.two_factor_confirm(
                user=request.user, code=form.cleaned_data["code"], request=request
            )
        except ValidationError as error:
            form.add_error("code", error)
        else:
            messages.success(request, _("Two-factor sign-in is on."))
            return render(
                request,
                "accounts/backup_codes.html",
                {"codes": codes, "next": _next_url(request, reverse("accounts:security"))},
            )
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "secret": _base32(device),
            "next": _next_url(request, reverse("accounts:security")),
        },
    )


def _base32(device) -> str:
    import base64

    key = base64.b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@never_cache
def two_factor_qr(request: HttpRequest) -> HttpResponse:
    """The QR code of the app being set up, as SVG (an image: no script runs in it)."""
    device = services.two_factor_pending_device(request.user)
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=12)
    out = io.BytesIO()
    image.save(out)
    response = HttpResponse(out.getvalue(), content_type="image/svg+xml")
    # An image: it runs and loads nothing.
    response["Content-Security-Policy"] = (
        "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _confirm_first(request: HttpRequest) -> HttpResponse:
    """A session that has not passed two-factor sign-in (one opened before it was set up)
    may not replace, renew or remove it: a code first."""
    messages.warning(request, _("Type a code from your authenticator app first."))
    back = urlencode({"next": reverse("accounts:security")})
    return redirect(f"{reverse('accounts:two_factor_verify')}?{back}")


@require_POST
def backup_codes_make(request: HttpRequest) -> HttpResponse:
    if not session_verified(request.user):
        return _confirm_first(request)
    try:
        codes = services.backup_codes_make(user=request.user, request=request)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("accounts:security")
    messages.success(request, _("New backup codes made; the old ones no longer work."))
    return render(
        request,
        "accounts/backup_codes.html",
        {"codes": codes, "next": reverse("accounts:security")},
    )


@require_POST
def two_factor_remove(request: HttpRequest) -> HttpResponse:
    if services.two_factor_enabled(request.user) and not session_verified(request.user):
        return _confirm_first(request)
    try:
        services.two_factor_remove(user=request.user, by=request.user, request=request)
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        request.session.pop(DEVICE_ID_SESSION_KEY, None)
        messages.success(request, _("Two-factor sign-in is off."))
    return redirect("accounts:security")


@require_POST
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    count = services.sign_out_everywhere(user=request.user, by=request.user, request=request)
    messages.success(
        request, _("Signed out of %(count)s session(s). Sign in again.") % {"count": count}
    )
    return redirect("login")


def security(request: HttpRequest) -> HttpResponse:
    """The person's own security page: two-factor sign-in, password, sessions, tokens."""
    user = request.user
    backup = StaticDevice.objects.filter(user=user).first()
    return render(
        request,
        "accounts/security.html",
        {
            "enabled": services.two_factor_enabled(user),
            "required": services.two_factor_required_for(user),
            "backup_left": backup.token_set.count() if backup else 0,
            "sessions": services.sessions_of(user),
            "idle_minutes": settings.SESSION_IDLE_MINUTES,
        },
    )


# Passwords -------------------------------------------------------------------------------


class PasswordChange(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:security")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.security_event(EventKind.PASSWORD_CHANGED, request=self.request)
        messages.success(self.request, _("Password changed. Other sessions were signed out."))
        return response


class PasswordReset(auth_views.PasswordResetView):
    form_class = QueuedPasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        services.security_event(
            EventKind.PASSWORD_RESET_ASKED,
            request=self.request,
            subject=form.cleaned_data["email"],
        )
        return super().form_valid(form)


class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.security_event(
            EventKind.PASSWORD_CHANGED,
            request=self.request,
            actor=form.user,
            detail="reset by email",
        )
        # A new password ends every session, here and elsewhere.
        services.sessions_end(form.user)
        return response


password_reset = login_not_required(PasswordReset.as_view())
password_reset_done = login_not_required(
    auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
)
password_reset_confirm = login_not_required(PasswordResetConfirm.as_view())
password_reset_complete = login_not_required(
    auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/password_reset_complete.html"
    )
)


# Staff ---------------------------------------------------------------------------------


def staff_only(view):
    """403 for anyone but staff (not a detour through the admin's sign-in)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_staff:
            raise PermissionDenied(_("Only staff can do this."))
        return view(request, *args, **kwargs)

    return wrapper


@staff_only
def lockouts(request: HttpRequest) -> HttpResponse:
    """Names and addresses locked out now, with a button to lift each lockout."""
    since = timezone.now() - (get_cool_off(request) or datetime.timedelta(days=36500))
    rows = AccessAttempt.objects.filter(
        attempt_time__gte=since, failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    ).order_by("-attempt_time")[:200]
    return render(
        request,
        "accounts/lockouts.html",
        {
            "attempts": rows,
            "cool_off": get_cool_off(request),
            "settings_limit": settings.AXES_FAILURE_LIMIT,
        },
    )


@staff_only
@require_POST
def lockout_lift(request: HttpRequest) -> HttpResponse:
    username = request.POST.get("username", "")
    address = request.POST.get("ip_address", "")
    if username or address:
        services.lockout_lift(
            username=username, ip_address=address, by=request.user, request=request
        )
        what = " and ".join(part for part in (username and f"“{username}”", address) if part)
        messages.success(request, _("Lockout of %(what)s lifted.") % {"what": what})
    return redirect("accounts:lockouts")


@staff_only
def user_security(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff's page for one account: reset its two-factor sign-in, sign it out everywhere,
    lift its lockout."""
    account = get_object_or_404(get_user_model(), pk=pk)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "reset_two_factor":
            services.two_factor_remove(user=account, by=request.user, request=request)
            messages.success(
                request,
                _(
                    "Two-factor sign-in of %(name)s reset, and their sessions ended; "
                    "they set it up again when they next need it."
                )
                % {"name": account},
            )
        elif action == "sign_out_everywhere":
            count = services.sign_out_everywhere(user=account, by=request.user, request=request)
            messages.success(
                request,
                _("%(name)s signed out of %(count)s session(s).")
                % {"name": account, "count": count},
            )
        elif action == "lift_lockout":
            services.lockout_lift(username=account.get_username(), by=request.user, request=request)
            messages.success(request, _("Lockout of %(name)s lifted.") % {"name": account})
        return redirect("accounts:user_security", pk=account.pk)
    return render(
        request,
        "accounts/user_security.html",
        {
            "account": account,
            "enabled": services.two_factor_enabled(account),
            "sessions": services.sessions_of(account),
            "locked": AccessAttempt.objects.filter(
                username=account.get_username(),
                failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
            ).exists(),
        },
    )


@login_not_required
@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """The header's language switcher: kept with the account (and in a cookie, for the
    sign-in page and for this browser), then back to the page."""
    language = request.POST.get("language", "")
    if language and language not in dict(settings.LANGUAGES):
        language = ""
    if request.user.is_authenticated:
        services.language_set(user=request.user, language=language)
        if language:
            request.session[LANGUAGE_SESSION_KEY] = language
        else:
            request.session.pop(LANGUAGE_SESSION_KEY, None)
    response = redirect(_next_url(request, default=reverse("dashboard")))
    if language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    else:
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)
    return response
