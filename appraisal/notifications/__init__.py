from appraisal.notifications.outbox import enqueue, send_due

__all__ = ["enqueue", "send_due"]
