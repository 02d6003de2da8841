from core.api.viewsets import ScopedModelViewSet
from members import policies, selectors, services
from members.filters import CustomerFilterSet

from .serializers import CustomerSerializer


class CustomerViewSet(ScopedModelViewSet):
    """Customers of the caller's projects; a consultant sees their own (and their team's) only."""

    queryset = selectors.customer_list()
    serializer_class = CustomerSerializer
    policy = policies.CUSTOMERS
    filterset_class = CustomerFilterSet
    ordering_fields = ["name", "created_at", "birthday"]
    ordering = ["-created_at"]

    def perform_create(self, serializer):
        self.check_project(serializer.validated_data)
        serializer.instance = services.register_customer(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        self.check_project(serializer.validated_data)
        serializer.instance = services.update_customer(customer=serializer.instance, actor=self.request.user,
                                                       **serializer.validated_data)
