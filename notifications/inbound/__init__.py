"""Email in: read the desk's mailbox and hand each message, parsed and classified, to a handler.

- `message.parse`: RFC 5322 bytes to an `InboundMessage` (sender, threading headers,
  the new text without quotes or signature, HTML turned into text, attachments);
  `Unreadable` when it cannot be handled;
- `classify.automatic_reason`: auto-replies, bounces, bulk mail, our own mail;
- `text`: HTML to safe text, and cutting quoted replies (mail-parser-reply, then our own
  rules for what it misses);
- `ledger`: the `InboundEmail` rows: a Message-ID handled once, "needs a look" listed
  for staff, and the daily cap on automatic answers;
- `mailbox`: IMAP over TLS (password or XOAUTH2) with imap-tools: fetch, mark handled
  after commit, move what cannot be handled to the "needs a look" folder.

What a message does to tickets is a ticket rule: `tickets.email_in`.
"""
