"""Pages of working together: comments, assignments and watching on the record pages,
the inbox and its settings, saved searches, and an investigation's activity."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from claims.models import Claim
from core.forms import apply_validation_error
from core.pagination import paginate
from core.panels import Panel
from evidence.models import EvidenceItem
from investigations.access import (
    record_or_404,
    require,
    role_in,
    scoped_or_404,
)
from investigations.models import Investigation, Role
from teamwork import selectors, services
from teamwork.forms import AssignForm, CommentForm, DeliveryForm, SavedSearchForm, SaveSearchForm
from teamwork.models import DEFAULT_DELIVERY, Assignment, Comment, Kind, Notification, SavedSearch

MODELS = {"claim": Claim, "evidence": EvidenceItem}


def _record(request: HttpRequest, page: str, pk: int):
    return record_or_404(MODELS[page].objects.select_related("investigation"), request.user, pk=pk)


def _record_url(record) -> str:
    if isinstance(record, Claim):
        return reverse("claims:claim_detail", args=[record.pk])
    return reverse("evidence:evidence_detail", args=[record.pk])


def _error_text(error: ValidationError) -> str:
    """A service's refusal as one message (for a page that redirects back)."""
    return " ".join(error.messages)


def _said_of_missing(request: HttpRequest, written: services.Written, record) -> None:
    if written.not_mentioned:
        names = ", ".join(f"@{name}" for name in written.not_mentioned)
        messages.warning(
            request,
            ngettext(
                "%(names)s is not a member of “%(investigation)s”, so nobody was told.",
                "%(names)s are not members of “%(investigation)s”, so nobody was told.",
                len(written.not_mentioned),
            )
            % {"names": names, "investigation": record.investigation},
        )


# Comments -----------------------------------------------------------------------------------


@require_POST
def comment_create(request: HttpRequest, page: str, pk: int) -> HttpResponse:
    """A comment from the record page; with an error, the text comes back with it."""
    record = _record(request, page, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            written = services.comment_create(
                record=record, by=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Comment added."))
            _said_of_missing(request, written, record)
            return redirect(f"{_record_url(record)}#comment-{written.comment.pk}")
    return render(
        request,
        "teamwork/comment_form.html",
        {
            "form": form,
            "record": record,
            "record_url": _record_url(record),
            "members": selectors.members_for_mentions(record.investigation_id),
        },
        status=400,
    )


def _comment(request: HttpRequest, pk: int) -> Comment:
    comment = scoped_or_404(
        Comment.objects.select_related("claim", "evidence", "investigation"), request.user, pk=pk
    )
    if comment.author_id != request.user.pk:
        raise PermissionDenied(_("Only its author may change or delete a comment."))
    return comment


def comment_update(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment(request, pk)
    record = comment.record
    form = CommentForm(request.POST or None, initial={"text": comment.text})
    if request.method == "POST" and form.is_valid():
        try:
            written = services.comment_update(
                comment=comment, by=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request, _("Comment changed; the earlier text is kept in its history.")
            )
            _said_of_missing(request, written, record)
            return redirect(f"{_record_url(record)}#comment-{comment.pk}")
    return render(
        request,
        "teamwork/comment_form.html",
        {
            "form": form,
            "record": record,
            "record_url": _record_url(record),
            "comment": comment,
            "members": selectors.members_for_mentions(record.investigation_id),
        },
        status=400 if form.errors else 200,
    )


def comment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment(request, pk)
    record = comment.record
    if request.method == "POST":
        try:
            services.comment_delete(comment=comment, by=request.user)
        except ValidationError as error:  # e.g. the investigation was archived meanwhile
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("Comment deleted; its text stays in the record's history."))
        return redirect(_record_url(record))
    return render(
        request,
        "teamwork/comment_confirm_delete.html",
        {"comment": comment, "record": record, "record_url": _record_url(record)},
    )


# Assignments and watching -------------------------------------------------------------------


@require_POST
def assignment_add(request: HttpRequest, page: str, pk: int) -> HttpResponse:
    record = _record(request, page, pk)
    form = AssignForm(request.POST)
    if form.is_valid():
        name = form.cleaned_data["user"].strip().lstrip("@")
        user = get_user_model().objects.filter(username__iexact=name).first()
        try:
            if user is None:
                raise ValidationError(
                    {"user": _("%(name)s is not a member of this investigation.") % {"name": name}}
                )
            services.assignment_add(record=record, user=user, by=request.user)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("Assigned to %(user)s; they were told.") % {"user": user})
    else:
        messages.error(request, _("Name the member to assign."))
    return redirect(_record_url(record))


@require_POST
def assignment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = scoped_or_404(
        Assignment.objects.select_related("claim", "evidence", "investigation", "user"),
        request.user,
        pk=pk,
    )
    record = assignment.record
    try:
        services.assignment_remove(assignment=assignment, by=request.user)
    except ValidationError as error:  # e.g. the investigation is archived
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("%(user)s is no longer assigned.") % {"user": assignment.user})
    return redirect(_record_url(record))


@require_POST
def watch(request: HttpRequest, page: str, pk: int) -> HttpResponse:
    record = _record(request, page, pk)
    watching = request.POST.get("watching") == "1"
    services.watch_set(record=record, user=request.user, watching=watching)
    if watching:
        messages.success(request, _("You are watching it: changes and comments will reach you."))
    else:
        messages.success(request, _("You no longer watch it."))
    return redirect(_record_url(record))


# The inbox ------------------------------------------------------------------------------------


def inbox(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("show") == "unread"
    page = paginate(request, selectors.inbox(request.user, unread=unread_only))
    rows = [
        (
            n,
            selectors.available(n, request.user),
            selectors.headline(n, request.user),
        )
        for n in page.object_list
    ]
    return render(
        request,
        "teamwork/inbox.html",
        {"page": page, "rows": rows, "unread_only": unread_only},
    )


def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark it read and go to what it is about (if the reader may still see that)."""
    notification = get_object_or_404(
        Notification.objects.select_related("search"), pk=pk, recipient=request.user
    )
    services.notification_read(notification=notification, by=request.user)
    url = (
        selectors.target_url(notification)
        if selectors.available(notification, request.user)
        else None
    )
    if url is None:
        messages.info(request, selectors.headline(notification, request.user))
        return redirect("teamwork:inbox")
    return redirect(url)


@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.notification_read(notification=notification, by=request.user)
    return _back(request)


@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    count = services.notifications_read_all(by=request.user)
    messages.success(
        request,
        ngettext(
            "%(count)s notification marked read.", "%(count)s notifications marked read.", count
        )
        % {"count": count},
    )
    return _back(request)


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = reverse("teamwork:inbox")
    return redirect(target)


def notification_settings(request: HttpRequest) -> HttpResponse:
    chosen = services.deliveries_of([request.user.pk])
    current = {
        kind.value: chosen.get((request.user.pk, kind.value), DEFAULT_DELIVERY[kind])
        for kind in Kind
    }
    form = DeliveryForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        services.deliveries_set(user=request.user, choices=form.cleaned_data)
        messages.success(request, _("Your notification settings are saved."))
        return redirect("teamwork:notification_settings")
    return render(
        request,
        "teamwork/notification_settings.html",
        {"form": form, "has_email": bool(request.user.email)},
    )


# Saved searches -------------------------------------------------------------------------------


def saved_search_list(request: HttpRequest) -> HttpResponse:
    searches = [(s, selectors.search_url(s)) for s in selectors.saved_searches_of(request.user)]
    return render(request, "teamwork/saved_search_list.html", {"searches": searches})


@require_POST
def saved_search_create(request: HttpRequest) -> HttpResponse:
    form = SaveSearchForm(request.POST)
    if form.is_valid():
        try:
            search = services.saved_search_create(
                owner=request.user,
                name=form.cleaned_data["name"],
                target=form.cleaned_data["target"],
                query=form.cleaned_data["query"],
                alert=form.cleaned_data["alert"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Search “%(name)s” saved.") % {"name": search.name})
            return redirect(selectors.search_url(search))
    return render(request, "teamwork/saved_search_form.html", {"form": form}, status=400)


def _own_search(request: HttpRequest, pk: int) -> SavedSearch:
    return get_object_or_404(SavedSearch, pk=pk, owner=request.user)


def saved_search_update(request: HttpRequest, pk: int) -> HttpResponse:
    search = _own_search(request, pk)
    form = SavedSearchForm(request.POST or None, instance=search)
    if request.method == "POST" and form.is_valid():
        try:
            services.saved_search_update(
                search=search,
                by=request.user,
                data={"name": form.cleaned_data["name"], "alert": form.cleaned_data["alert"]},
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Search “%(name)s” changed.") % {"name": search.name})
            return redirect("teamwork:saved_search_list")
    return render(
        request,
        "teamwork/saved_search_form.html",
        {"form": form, "search": search},
        status=400 if form.errors else 200,
    )


@require_POST
def saved_search_delete(request: HttpRequest, pk: int) -> HttpResponse:
    search = _own_search(request, pk)
    services.saved_search_delete(search=search, by=request.user)
    messages.success(request, _("Search “%(name)s” deleted.") % {"name": search.name})
    return redirect("teamwork:saved_search_list")


# Activity -------------------------------------------------------------------------------------


def activity(request: HttpRequest, slug: str) -> HttpResponse:
    """What happened in an investigation, newest first, by person and kind."""
    # 404 to outsiders; to set up two-factor sign-in where the investigation requires it.
    investigation = get_object_or_404(Investigation, slug=slug)
    require(request.user, investigation, Role.VIEWER)
    entries = selectors.activity(investigation)
    person = request.GET.get("person", "").strip()
    kind = request.GET.get("kind", "")
    if person:
        entries = entries.filter(username__iexact=person)
    if kind in selectors.ACTIVITY_KINDS:
        entries = entries.filter(selectors.ACTIVITY_KINDS[kind][1])
    return render(
        request,
        "teamwork/activity.html",
        {
            "investigation": investigation,
            "page": paginate(request, entries),
            "people": selectors.members_for_mentions(investigation.pk),
            "kinds": [(key, label) for key, (label, _q) in selectors.ACTIVITY_KINDS.items()],
            "person": person,
            "kind": kind,
        },
    )


# Record page panels ---------------------------------------------------------------------------


def _page_of(record) -> str:
    return "claim" if isinstance(record, Claim) else "evidence"


def _may_work(request: HttpRequest, record) -> bool:
    """Whether the reader comments and assigns here: researcher or more, and not archived
    (from the memberships the request has read: no query)."""
    role = role_in(request.user, record.investigation_id)
    return (
        role is not None and role.allows(Role.RESEARCHER) and not record.investigation.is_archived
    )


def head_panel(request: HttpRequest, record) -> Panel:
    return Panel(
        "teamwork/_record_head.html",
        {
            "page": _page_of(record),
            "record": record,
            "assignees": selectors.assignees_of(record),
            "watching": selectors.is_watching(request.user, record),
            "may_work": _may_work(request, record),
        },
    )


def discussion_panel(request: HttpRequest, record) -> Panel:
    may_work = _may_work(request, record)
    return Panel(
        "teamwork/_comments.html",
        {
            "page": _page_of(record),
            "record": record,
            "comments": selectors.comments_of(record),
            "form": CommentForm() if may_work else None,
            "members": selectors.members_for_mentions(record.investigation_id),
            "me": request.user.pk,
        },
    )
