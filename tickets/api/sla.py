"""`/api/sla-targets/`: staff read, the director edits."""

from typing import Any

from rest_framework import mixins, serializers, viewsets

from schools.api import StaffReadDirectorWrites
from tickets.models import PRIORITY_RANK, SlaTarget
from tickets.sla import update_sla_target


class SlaTargetSerializer(serializers.ModelSerializer):
    # Shape only: the bounds are update_sla_target's (a DomainError naming the field: 400).
    response_value = serializers.IntegerField()
    resolution_value = serializers.IntegerField()

    class Meta:
        model = SlaTarget
        fields = ["id", "priority", "response_value", "response_unit", "resolution_value", "resolution_unit"]
        read_only_fields = ["id", "priority"]

    def update(self, instance: SlaTarget, validated_data: dict[str, Any]) -> SlaTarget:
        return update_sla_target(actor=self.context["request"].user, target=instance, changes=validated_data)


class SlaTargetViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    """One row per priority (seeded); PATCH changes a priority's targets."""

    serializer_class = SlaTargetSerializer
    permission_classes = [StaffReadDirectorWrites]
    queryset = SlaTarget.objects.order_by("pk")

    def list(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().list(request, *args, **kwargs)
        # Most urgent first, as on the support page.
        response.data["results"].sort(key=lambda row: -PRIORITY_RANK[row["priority"]])
        return response
