"""Accounts that record who did something without being able to log in."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

IMPORTER_USERNAME = "importer"


def account_without_login(username: str, *, active: bool = True) -> AbstractBaseUser:
    """The account named `username`, created without a usable password if it is new.

    Importers, restored dossiers and the demo case name their authors this way; such an
    account can be given a password later by staff, never by accident.
    """
    user, created = get_user_model().objects.get_or_create(username=username)
    if created:
        user.set_unusable_password()
        user.is_active = active
        user.save(update_fields=["password", "is_active"])
    return user


def command_user(username: str | None) -> AbstractBaseUser:
    """Who a management command acts as: `--user NAME`, else the importer account."""
    if not username:
        return account_without_login(IMPORTER_USERNAME)
    return user_named(username)


def user_named(username: str) -> AbstractBaseUser:
    """The account a command names."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(_("No user “%(username)s”.") % {"username": username})
    return user
