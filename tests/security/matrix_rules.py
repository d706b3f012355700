"""The authorization matrix's outcomes, who may do what (each route's expectation) and its URL builders."""

from collections.abc import Callable

from tests.security.world import (
    ANONYMOUS,
    CAMPUS_CONTACT,
    DIRECTOR,
    OTHER_REQUESTER,
    OTHERS,
    OWN,
    REQUESTER,
    TECHNICIAN,
    World,
)

OK, LOGIN, DENIED, HIDDEN, NOT_ALLOWED = "ok", "login", "403", "404", "405"
STAFF = {TECHNICIAN, DIRECTOR}
# Who reaches a ticket: its requester and their school's campus contact, and staff.
TICKET_REACH = {OWN: {REQUESTER, CAMPUS_CONTACT, *STAFF}, OTHERS: STAFF}

Expect = Callable[[str, str], str]
Build = Callable[[World, str], str]


def everyone(outcome: str) -> Expect:
    return lambda role, which: outcome


def signed_in(role: str, which: str) -> str:
    return LOGIN if role == ANONYMOUS else OK


def staff_only(refused: str = DENIED) -> Expect:
    """Staff pages hide themselves from requesters (HIDDEN); the staff API refuses (DENIED)."""
    return lambda role, which: LOGIN if role == ANONYMOUS else OK if role in STAFF else refused


def director_only(refused: str = DENIED) -> Expect:
    return lambda role, which: LOGIN if role == ANONYMOUS else OK if role == DIRECTOR else refused


def directors_write_signed_in_read(method: str) -> Expect:
    return signed_in if method == "get" else director_only()


def ticket(*, staff_action: bool = False, refused: str = DENIED) -> Expect:
    """Out of reach: 404. Within reach: served, or `refused` for a staff-only action."""

    def expect(role: str, which: str) -> str:
        if role == ANONYMOUS:
            return LOGIN
        if role not in TICKET_REACH[which]:
            return HIDDEN
        return refused if staff_action and role not in STAFF else OK

    return expect


def saved_reply(role: str, which: str, *, write: bool = False) -> str:
    """Staff read the shared replies and their own; only the director changes a shared one."""
    if role == ANONYMOUS:
        return LOGIN
    if role not in STAFF:
        return DENIED
    if which == OTHERS:  # the technician's private reply
        return OK if role == TECHNICIAN else HIDDEN
    return DENIED if write and role != DIRECTOR else OK


def saved_view_change(role: str, which: str) -> str:
    """A shared view (the director's) is seen by all staff, removed or renamed by its owner or a director
    (a technician's attempt is refused with a message: a redirect); a private one only by its owner."""
    if role == ANONYMOUS:
        return LOGIN
    if role not in STAFF:
        return HIDDEN
    return OK if which == OWN or role == TECHNICIAN else HIDDEN


def attachment(role: str, which: str) -> str:
    return ticket()(role, which)


def pk(kind: str, fmt: str) -> Build:
    return lambda world, which: fmt.format(world.obj(kind, which).pk)


def person(fmt: str) -> Build:
    """A requester's person record: the own requester, or the other one."""
    return lambda world, which: fmt.format(world.users[REQUESTER if which == OWN else OTHER_REQUESTER].pk)


def fixed(path: str) -> Build:
    return lambda world, which: path


def att_path(suffix: str = "") -> Build:
    def build(world: World, which: str) -> str:
        att = world.obj("attachment", which)
        return f"/tickets/{att.ticket_id}/attachments/{att.pk}/{suffix}"

    return build


def api_att_path(suffix: str = "") -> Build:
    def build(world: World, which: str) -> str:
        att = world.obj("attachment", which)
        return f"/api/tickets/{att.ticket_id}/attachments/{att.pk}/{suffix}"

    return build


def token(kind: str, fmt: str, attr: str = "token") -> Build:
    return lambda world, which: fmt.format(getattr(world.obj(kind, which), attr))
