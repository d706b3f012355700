from django.dispatch import Signal

# Sent by close_ticket inside its transaction with `ticket` and `actor` (None when
# the system auto-closes). The surveys app records its invitation here, so tickets
# never imports surveys and a rolled-back close takes the invitation with it.
ticket_closed = Signal()
