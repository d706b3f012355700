"""One router for the whole API; each app registers its own viewsets with `register(router)`."""

from rest_framework.routers import DefaultRouter

from devices.api import register as register_devices
from people.api import register as register_people
from schools.api import register as register_schools
from surveys.api import register as register_surveys
from tickets.api import register as register_tickets

router = DefaultRouter()
register_schools(router)
register_people(router)
register_devices(router)
register_tickets(router)
register_surveys(router)
