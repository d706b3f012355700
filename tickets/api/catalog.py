"""Queues and categories: read by everyone signed in, changed by the director."""

from typing import Any

import django_filters
from rest_framework import serializers, viewsets

from schools.models import School
from tickets import catalog
from tickets.api.permissions import SignedInReadsDirectorWrites
from tickets.models import Category, Queue


class QueueSerializer(serializers.ModelSerializer):
    school = serializers.PrimaryKeyRelatedField(
        queryset=School.objects.all(),
        allow_null=True,
        required=False,
        help_text="The school whose queue this is; null for a district-wide team queue.",
    )

    class Meta:
        model = Queue
        fields = ["id", "name", "school", "description"]

    def create(self, validated_data: dict[str, Any]) -> Queue:
        return catalog.create_queue(**validated_data)

    def update(self, instance: Queue, validated_data: dict[str, Any]) -> Queue:
        return catalog.update_queue(queue=instance, changes=validated_data)


class QueueFilter(django_filters.FilterSet):
    school = django_filters.ModelChoiceFilter(queryset=School.objects.all())
    district_wide = django_filters.BooleanFilter(field_name="school", lookup_expr="isnull", label="District-wide")

    class Meta:
        model = Queue
        fields: list[str] = []


class QueueViewSet(viewsets.ModelViewSet):
    """`/api/queues/`: every school's own queue plus the district-wide team queues."""

    queryset = Queue.objects.order_by("name", "id")
    serializer_class = QueueSerializer
    permission_classes = [SignedInReadsDirectorWrites]
    filterset_class = QueueFilter

    def perform_destroy(self, instance: Queue) -> None:
        catalog.delete_queue(queue=instance)


class CategorySerializer(serializers.ModelSerializer):
    # Any queue id is accepted here so the service can say why a school's queue is refused.
    queue = serializers.PrimaryKeyRelatedField(
        queryset=Queue.objects.all(),
        allow_null=True,
        required=False,
        help_text="A district-wide queue this category routes to; null means each school's own queue.",
    )

    class Meta:
        model = Category
        fields = ["id", "name", "slug", "in_scope", "queue", "responsible_party", "guidance", "vendor"]
        extra_kwargs = {"slug": {"help_text": "Derived from the name when left blank."}}

    def create(self, validated_data: dict[str, Any]) -> Category:
        return catalog.create_category(**validated_data)

    def update(self, instance: Category, validated_data: dict[str, Any]) -> Category:
        return catalog.update_category(category=instance, changes=validated_data)


class CategoryViewSet(viewsets.ModelViewSet):
    """`/api/categories/`: what requests are about, where they go and who is responsible."""

    queryset = Category.objects.order_by("name", "id")
    serializer_class = CategorySerializer
    permission_classes = [SignedInReadsDirectorWrites]

    def perform_destroy(self, instance: Category) -> None:
        catalog.delete_category(category=instance)
