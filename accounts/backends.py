"""The sign-in throttle's authentication backend."""

from axes.backends import AxesStandaloneBackend


class ThrottleBackend(AxesStandaloneBackend):
    """django-axes's check, first in AUTHENTICATION_BACKENDS: a locked-out client is
    refused before its password is read. A check without a request (a management command,
    the test client) comes from no client to throttle and passes on to the next backend."""

    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
