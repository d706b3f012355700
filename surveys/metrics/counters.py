"""The counters, defined once each, and the figures derived from them."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import (
    Aggregate,
    FloatField,
    Func,
    Q,
    QuerySet,
)

from tickets.models import Ticket
from tickets.sla.breaches import SLA_MET

# A school (or technician, or category) needs this many survey answers in the range before
# it is ranked against the others: one unhappy answer at a small school would otherwise
# put it at the bottom. The dashboard's lowest schools and the monthly report both use it.
MIN_ANSWERS_TO_RANK = 5


def is_rankable(row: dict[str, Any]) -> bool:
    """Whether a breakdown row has answers enough to be ranked (`MIN_ANSWERS_TO_RANK`)."""
    return row["surveys_answered"] >= MIN_ANSWERS_TO_RANK


class EpochMinutes(Func):
    """Minutes in an interval (PostgreSQL), as double precision.

    date_part() rather than EXTRACT(): since PostgreSQL 14 EXTRACT returns numeric, and
    sorting 157,000 numerics for a median took 1.1 s where doubles take 0.66 s.
    """

    template = "(date_part('epoch', %(expressions)s) / 60.0)"
    output_field = FloatField()


class Median(Aggregate):
    """PostgreSQL's ordered-set aggregate: percentile_cont(0.5) WITHIN GROUP (ORDER BY x)."""

    function = "percentile_cont"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()
    allow_distinct = False


@dataclass(frozen=True)
class Filters:
    date_from: date
    date_to: date
    school: int | None = None
    technician: int | None = None
    category: int | None = None

    @classmethod
    def from_cleaned(cls, data: dict) -> "Filters":
        """From a validated form or serializer: dates, and school/technician/category objects."""

        def pk(name: str) -> int | None:
            return data[name].pk if data.get(name) else None

        return cls(
            date_from=data["date_from"],
            date_to=data["date_to"],
            school=pk("school"),
            technician=pk("technician"),
            category=pk("category"),
        )


# --- the counters: one definition each ------------------------------------------------------

HAS_DUE = Q(response_due_at__isnull=False, resolution_due_at__isnull=False)
MET = SLA_MET  # tickets.sla's one definition: the breach job's pauses count here too
ANSWERED = Q(survey_response__isnull=False)


@dataclass(frozen=True)
class Counter:
    placed_by: str  # the timestamp that puts a ticket on a day
    condition: Q
    summed: str | None = None  # a field to add up; None counts tickets

    @property
    def reads_surveys(self) -> bool:
        """Whether counting needs the survey tables joined (summary() counts those separately)."""

        def names(q: Q) -> list[str]:
            found: list[str] = []
            for child in q.children:
                if isinstance(child, Q):
                    found += names(child)
                elif isinstance(child, tuple):
                    found.append(child[0])
            return found

        return any(name.startswith("survey_") for name in [self.summed or "", *names(self.condition)])


COUNTERS: dict[str, Counter] = {
    "opened": Counter("created_at", Q()),
    "closed": Counter("closed_at", Q()),
    "sla_due": Counter("closed_at", HAS_DUE),
    "sla_met": Counter("closed_at", HAS_DUE & MET),
    "with_mode": Counter("closed_at", Q(service_mode__isnull=False)),
    "remote": Counter("closed_at", Q(service_mode=Ticket.ServiceMode.REMOTE)),
    "surveys_sent": Counter("closed_at", Q(survey_invitation__sent_at__isnull=False)),
    "surveys_answered": Counter("closed_at", ANSWERED),
    "quality_sum": Counter("closed_at", ANSWERED, summed="survey_response__quality"),
    "quality_satisfied": Counter("closed_at", Q(survey_response__quality__gte=4)),
    "timeliness_sum": Counter("closed_at", ANSWERED, summed="survey_response__timeliness"),
    "timeliness_satisfied": Counter("closed_at", Q(survey_response__timeliness__gte=4)),
    "learned_answered": Counter("closed_at", Q(survey_response__learned__isnull=False)),
    "learned_yes": Counter("closed_at", Q(survey_response__learned=True)),
}
PLACEMENTS = ("created_at", "closed_at")


def _pct(part: int | None, whole: int | None) -> float | None:
    if not whole:
        return None
    return round(100.0 * (part or 0) / whole, 1)


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(float(value), digits)


def _mean(total: int | None, count: int | None) -> float | None:
    return None if not count else round((total or 0) / count, 2)


def derive(c: Mapping[str, Any]) -> dict[str, Any]:
    """The published figures from counter totals (raw or rollup: the same arithmetic)."""
    return {
        "tickets_opened": c["opened"],
        "tickets_closed": c["closed"],
        "sla_met_pct": _pct(c["sla_met"], c["sla_due"]),
        "surveys_sent": c["surveys_sent"],
        "surveys_answered": c["surveys_answered"],
        "response_rate_pct": _pct(c["surveys_answered"], c["surveys_sent"]),
        "quality_mean": _mean(c["quality_sum"], c["surveys_answered"]),
        "quality_satisfaction_pct": _pct(c["quality_satisfied"], c["surveys_answered"]),
        "timeliness_mean": _mean(c["timeliness_sum"], c["surveys_answered"]),
        "timeliness_satisfaction_pct": _pct(c["timeliness_satisfied"], c["surveys_answered"]),
        "remote_pct": _pct(c["remote"], c["with_mode"]),
        "learned_pct": _pct(c["learned_yes"], c["learned_answered"]),
    }


def _scoped(filters: Filters) -> QuerySet[Ticket]:
    tickets = Ticket.objects.all()
    if filters.school is not None:
        tickets = tickets.filter(school_id=filters.school)
    if filters.technician is not None:
        tickets = tickets.filter(assignee_id=filters.technician)
    if filters.category is not None:
        tickets = tickets.filter(category_id=filters.category)
    return tickets
