"""The ticket ↔ device link (API.md "Devices"): one rule, called by the ticket service's
create and update. An `asset` sets the ticket's `asset_tag`; an `asset_tag` alone finds
its device by tag, any case, and a tag we do not know stays on the ticket as text."""

from typing import Any

from devices.services import find_asset


def link_device(changes: dict[str, Any]) -> dict[str, Any]:
    """`changes` with `asset` and `asset_tag` made to agree (a copy; the rest untouched)."""
    changes = dict(changes)
    if changes.get("asset") is not None:
        changes["asset_tag"] = changes["asset"].tag
    elif "asset_tag" in changes and "asset" not in changes:
        changes["asset_tag"] = (changes["asset_tag"] or "").strip()
        changes["asset"] = find_asset(tag=changes["asset_tag"])
    return changes
