"""The tickets app's browser pages, one module per concern (pages, actions, today, vendors,
attachments, sla, kb); tickets/urls.py maps them. Thin: each view checks shape with a form,
calls one service or selector, and turns a DomainError into a form error or a message."""
