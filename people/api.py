"""`/api/people/` (director only): the same services the /people/ pages call."""

from typing import Any

import django_filters
from django.contrib.auth.models import User
from django.db.models import QuerySet
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.request import Request
from rest_framework.routers import DefaultRouter

from people import services
from people.selectors import Role, matching, people_list, role_of
from schools.models import School
from schools.roles import is_director


class DirectorOnly(permissions.BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return is_director(request.user)


class PersonSerializer(serializers.ModelSerializer):
    role = serializers.ChoiceField(choices=Role.choices, default=Role.REQUESTER)
    school = serializers.PrimaryKeyRelatedField(queryset=School.objects.all(), allow_null=True, required=False)
    email = serializers.EmailField(required=False, allow_blank=True)

    class Meta:
        model = User
        fields = ["id", "username", "email", "first_name", "last_name", "role", "school", "is_active"]
        read_only_fields = ["id"]
        extra_kwargs = {"username": {"validators": []}, "is_active": {"required": False}}

    def to_representation(self, instance: User) -> dict[str, Any]:
        profile = getattr(instance, "profile", None)
        return {
            "id": instance.pk,
            "username": instance.username,
            "email": instance.email,
            "first_name": instance.first_name,
            "last_name": instance.last_name,
            "role": role_of(instance),
            "school": profile.school_id if profile else None,
            "is_active": instance.is_active,
        }

    def create(self, validated_data: dict[str, Any]) -> User:
        is_active = validated_data.pop("is_active", True)
        person = services.create_person(actor=self.context["request"].user, **validated_data)
        if not is_active:
            person = services.deactivate_person(actor=self.context["request"].user, person=person)
        return people_list().get(pk=person.pk)

    def update(self, instance: User, validated_data: dict[str, Any]) -> User:
        if "username" in validated_data and validated_data["username"] != instance.username:
            raise serializers.ValidationError({"username": ["The username cannot be changed."]})
        validated_data.pop("username", None)
        services.update_person(actor=self.context["request"].user, person=instance, changes=validated_data)
        return people_list().get(pk=instance.pk)


class PersonFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(method="filter_search")
    role = django_filters.ChoiceFilter(choices=Role.choices, field_name="role_name")
    school = django_filters.ModelChoiceFilter(queryset=School.objects.all(), field_name="profile__school")
    is_active = django_filters.BooleanFilter()

    class Meta:
        model = User
        fields = ["search", "role", "school", "is_active"]

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return matching(queryset, value)


class PersonViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """People are never deleted: `is_active=false` deactivates them and keeps their tickets."""

    serializer_class = PersonSerializer
    permission_classes = [DirectorOnly]
    filterset_class = PersonFilter

    def get_queryset(self) -> QuerySet:
        return people_list()


def register(router: DefaultRouter) -> None:
    router.register("people", PersonViewSet, basename="person")
