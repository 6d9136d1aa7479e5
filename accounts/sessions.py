"""The session engine (SESSION_ENGINE = "accounts.sessions"): database sessions that
record their user, and expire after SESSION_IDLE_MINUTES without a request."""

from django.contrib.sessions.backends.db import SessionStore as DBStore

# When the session's expiry was last moved on (seconds since the epoch): at most once every
# SEEN_EVERY seconds, so a page view does not write the session each time.
SEEN_KEY = "_seen"
SEEN_EVERY = 60
# The language the person chose (copied from their account at sign-in), so that no page
# reads it again.
LANGUAGE_SESSION_KEY = "_language"


class SessionStore(DBStore):
    @classmethod
    def get_model_class(cls):
        from accounts.models import Session

        return Session

    def create_model_instance(self, data):
        instance = super().create_model_instance(data)
        user_id = data.get("_auth_user_id")
        instance.user_id = int(user_id) if user_id and str(user_id).isdigit() else None
        return instance
