"""Writes for schools and people: rotations and visits, the district calendar, profiles, schools."""

from schools.services.calendar import (
    CALENDAR_FIELDS,
    add_closure,
    load_federal_holidays,
    remove_closure,
    update_calendar,
)
from schools.services.profiles import SELF_SERVICE_FIELDS, assess_requester, ensure_profile, update_own_profile
from schools.services.schools import SCHOOL_FIELDS, create_school, update_school
from schools.services.visits import (
    MAX_EVERY_N_WEEKS,
    ROTATION_FIELDS,
    check_in_visit,
    complete_visit,
    create_rotation,
    delete_rotation,
    feed_for,
    plan_all_visits,
    plan_visits,
    reset_feed_token,
    rotation_dates,
    update_rotation,
)

__all__ = [
    "CALENDAR_FIELDS",
    "MAX_EVERY_N_WEEKS",
    "ROTATION_FIELDS",
    "SCHOOL_FIELDS",
    "SELF_SERVICE_FIELDS",
    "add_closure",
    "assess_requester",
    "check_in_visit",
    "complete_visit",
    "create_rotation",
    "create_school",
    "delete_rotation",
    "ensure_profile",
    "feed_for",
    "load_federal_holidays",
    "plan_all_visits",
    "plan_visits",
    "remove_closure",
    "reset_feed_token",
    "rotation_dates",
    "update_calendar",
    "update_own_profile",
    "update_rotation",
    "update_school",
]
