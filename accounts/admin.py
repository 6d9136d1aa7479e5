"""The admin's view of accounts: the security log read-only, and each user's security
actions going through the services (so that they are logged)."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts import services
from accounts.models import SecurityEvent

User = get_user_model()


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    list_display = [
        "created",
        "kind",
        "actor_name",
        "subject_name",
        "investigation_name",
        "ip_address",
        "detail",
    ]
    list_filter = ["kind"]
    search_fields = ["actor_name", "subject_name", "detail"]
    date_hierarchy = "created"

    # Append-only: nobody adds, changes or removes entries here.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(UserAdmin):
    list_display = [*UserAdmin.list_display, "security"]
    actions = ["sign_out_everywhere", "reset_two_factor"]

    @admin.display(description=_("Security"))
    def security(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("accounts:user_security", args=[obj.pk]), _("Security")
        )

    @admin.action(description=_("Sign the selected users out everywhere"))
    def sign_out_everywhere(self, request, queryset):
        count = sum(
            services.sign_out_everywhere(user=user, by=request.user, request=request)
            for user in queryset
        )
        self.message_user(
            request,
            ngettext("%(n)d session ended.", "%(n)d sessions ended.", count) % {"n": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Reset two-factor sign-in of the selected users"))
    def reset_two_factor(self, request, queryset):
        for user in queryset:
            services.two_factor_remove(user=user, by=request.user, request=request)
        self.message_user(request, _("Two-factor sign-in reset."), messages.SUCCESS)


# Devices change only through the services above (enrolment, reset), which log it.
for model_path in ("otp_totp.TOTPDevice", "otp_static.StaticDevice"):
    from django.apps import apps

    model = apps.get_model(model_path)
    if admin.site.is_registered(model):
        admin.site.unregister(model)
