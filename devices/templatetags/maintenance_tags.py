"""`{% visit_maintenance maintenance visit %}`: a visit's maintenance tasks with their checklists
and done/skip buttons, on the Today page. `maintenance` is `devices.selectors.tasks_by_visit(visits)`,
fetched once for the page, so each visit costs no query."""

from typing import Any

from django import template

from schools.models import Visit

register = template.Library()


@register.inclusion_tag("devices/_visit_maintenance.html", takes_context=True)
def visit_maintenance(context: dict[str, Any], maintenance: dict[int, list], visit: Visit) -> dict[str, Any]:
    return {"tasks": maintenance.get(visit.pk, []), "visit": visit, "csrf_token": context.get("csrf_token")}
