from django.dispatch import Signal

# Sent by notifications.outbox when sending an OutboundEmail fails, inside the
# transaction that records the failure on the row, with `email`, `attempts`,
# `permanent` and `error`. tickets writes it on the ticket's history here, so
# notifications never imports tickets.
email_failed = Signal()
