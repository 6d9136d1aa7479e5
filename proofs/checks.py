"""A site without a signing key cannot export ZIP dossiers: say so at start-up."""

from django.core.checks import Warning, register
from django.db import DatabaseError

from proofs.keys import KeyUnavailable, current_key


@register()
def signing_key_check(app_configs=None, **kwargs):
    try:
        current_key()
    except KeyUnavailable as error:
        return [Warning(str(error), id="proofs.W001")]
    except DatabaseError:
        return []  # not migrated yet: the key registers when it first signs
    return []
