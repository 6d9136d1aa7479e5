"""A site without a usable signing key cannot export ZIP dossiers: say so at start-up."""

from django.core.checks import Warning, register

from proofs.keys import KeyUnavailable, configured_key


@register()
def signing_key_check(app_configs=None, **kwargs):
    try:
        configured_key()  # read only: a check writes nothing (the key registers on first use)
    except KeyUnavailable as error:
        return [Warning(str(error), id="proofs.W001")]
    return []
