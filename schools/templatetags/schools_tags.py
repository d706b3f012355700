"""Template tags for other apps' pages: `{% load schools_tags %}` then `{% next_visit school %}`
(a school or its id: `user.profile.school_id` spares reading the school)."""

from typing import Any

from django import template

from schools.selectors import next_visit_summary

register = template.Library()


@register.inclusion_tag("schools/_next_visit.html")
def next_visit(school: Any) -> dict[str, Any]:
    """ "Your school's technician, Ana, visits on Tuesdays; next visit Tue 24 Nov." (two queries)."""
    return {"school": school, "summary": next_visit_summary(school)}
