"""One router for the whole API; each app registers its own viewsets."""

from rest_framework.routers import DefaultRouter

from people.api import register as register_people
from schools.api import register as register_schools
from surveys.api import register as register_surveys
from tickets.api import register as register_tickets
from tickets.api.attachments import register as register_attachments
from tickets.kb.api import register as register_kb
from tickets.sla_api import register as register_sla

router = DefaultRouter()
register_schools(router)
register_people(router)
register_tickets(router)
register_sla(router)
register_kb(router)
register_attachments(router)
register_surveys(router)
