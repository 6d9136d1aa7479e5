"""The investigation switcher, the list of one's investigations, and a lead's members page
(add by username, change a role, remove; archive and reopen). Every change goes through
investigations.services and enters the history."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from investigations import services
from investigations.access import SESSION_KEY, ensure_unlocked, places_of, role_in
from investigations.models import Investigation, InvestigationStatus, Membership, Role


@require_POST
def investigation_switch(request: HttpRequest) -> HttpResponse:
    """Work in one investigation (lists and new records default to it), or in all."""
    slug = request.POST.get("investigation", "")
    place = next((p for p in places_of(request.user) if p.slug == slug), None)
    if place is not None:
        ensure_unlocked(request.user, place.id)
    if place is None:
        request.session.pop(SESSION_KEY, None)
        messages.info(request, _("Showing all your investigations."))
    else:
        request.session[SESSION_KEY] = place.id
        messages.info(request, _("Working in “%(name)s”.") % {"name": place.name})
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = "/"
    # A detail page's filter of another investigation would hide everything: lists restart.
    return redirect(back.split("?")[0] if "investigation=" in back else back)


def investigation_list(request: HttpRequest) -> HttpResponse:
    """The user's investigations with their role; leads manage theirs from here."""
    mine = Investigation.objects.filter(memberships__user=request.user).order_by("name")
    places = {place.id: place for place in places_of(request.user)}
    rows = [(investigation, places[investigation.pk]) for investigation in mine]
    return render(request, "investigations/investigation_list.html", {"rows": rows})


class MemberForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.VIEWER)

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise forms.ValidationError(_("No account with this username."))
        return user


def _managed(request: HttpRequest, slug: str) -> Investigation:
    """An investigation the user leads (404 if not a member, 403 below lead); staff manage
    every investigation."""
    investigation = get_object_or_404(Investigation, slug=slug)
    if request.user.is_staff:
        return investigation
    role = role_in(request.user, investigation.pk)
    if role is None:
        ensure_unlocked(request.user, investigation.pk)
        raise Http404
    if not role.allows(Role.LEAD):
        raise PermissionDenied(_("Only a lead manages the members."))
    return investigation


def investigation_members(request: HttpRequest, slug: str) -> HttpResponse:
    """A lead's page: the members and their roles, add, change, remove; archive or reopen."""
    investigation = _managed(request, slug)
    form = MemberForm()
    if request.method == "POST":
        try:
            action = request.POST.get("action")
            if action == "add":
                form = MemberForm(request.POST)
                if form.is_valid():
                    user = form.cleaned_data["username"]
                    services.membership_set(
                        investigation=investigation,
                        user=user,
                        role=form.cleaned_data["role"],
                        by=request.user,
                    )
                    messages.success(request, _("%(user)s added.") % {"user": user})
                    return redirect(request.path)
            elif action in ("change", "remove"):
                membership = get_object_or_404(
                    Membership, pk=request.POST.get("membership") or 0, investigation=investigation
                )
                if action == "change":
                    services.membership_set(
                        investigation=investigation,
                        user=membership.user,
                        role=request.POST.get("role", ""),
                        by=request.user,
                    )
                    messages.success(request, _("Role changed."))
                else:
                    services.membership_remove(
                        investigation=investigation, user=membership.user, by=request.user
                    )
                    messages.success(request, _("%(user)s removed.") % {"user": membership.user})
                return redirect(request.path)
            elif action in ("require_two_factor", "allow_without_two_factor"):
                required = action == "require_two_factor"
                services.investigation_two_factor_set(
                    investigation=investigation, required=required, by=request.user, request=request
                )
                messages.success(
                    request,
                    _(
                        "Members now open it only after two-factor sign-in; "
                        "those without it are asked to set it up."
                    )
                    if required
                    else _("Two-factor sign-in is no longer required here."),
                )
                return redirect(request.path)
            elif action in ("archive", "reopen"):
                archive = action == "archive"
                status = InvestigationStatus.ARCHIVED if archive else InvestigationStatus.ACTIVE
                services.investigation_status_set(
                    investigation=investigation, status=status, by=request.user
                )
                messages.success(
                    request,
                    _("Archived: nothing in it can be changed now.")
                    if action == "archive"
                    else _("Reopened."),
                )
                return redirect(request.path)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    members = investigation.memberships.select_related("user").order_by("user__username")
    return render(
        request,
        "investigations/members.html",
        {"investigation": investigation, "members": members, "form": form, "roles": Role},
    )
