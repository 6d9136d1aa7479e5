"""What a test captured on commit, without the notification fan-out every change queues
(teamwork.listeners): the work the test is about."""


def work(callbacks) -> list:
    return [c for c in callbacks if not getattr(c, "notification_fan_out", False)]
