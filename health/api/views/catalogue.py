from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets

from health import selectors
from health.api.serializers import DepartmentSerializer, DrugSerializer
from health.filters import DepartmentFilterSet, DrugFilterSet


class DepartmentViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Departments taking consultations and appointments, with their clinic."""

    serializer_class = DepartmentSerializer
    filterset_class = DepartmentFilterSet

    def get_queryset(self):
        return selectors.departments_active()

    @extend_schema(summary="Departments (科室) to consult or book", tags=["health"])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class DrugViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The drug catalogue: insurance coverage class (甲/乙/丙) and price per package."""

    serializer_class = DrugSerializer
    filterset_class = DrugFilterSet

    def get_queryset(self):
        return selectors.drugs_active()

    @extend_schema(summary="Drug catalogue", tags=["health"])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)
