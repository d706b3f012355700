from rest_framework.routers import DefaultRouter


def register(router: DefaultRouter) -> None:
    """Viewsets of this app join the project's single API router here."""
