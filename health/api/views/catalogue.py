from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins

from health import selectors
from health.api.serializers import DepartmentSerializer, DrugSerializer
from health.filters import DepartmentFilterSet, DrugFilterSet
from linli.api.views import ApiViewSet


@extend_schema_view(
    list=extend_schema(summary="Departments (科室) to consult or book"),
)
class DepartmentViewSet(mixins.ListModelMixin, ApiViewSet):
    """Departments taking consultations and appointments, with their clinic."""

    schema_topic = "医疗目录"
    serializer_class = DepartmentSerializer
    filterset_class = DepartmentFilterSet

    def get_queryset(self):
        return selectors.departments_active()


@extend_schema_view(
    list=extend_schema(summary="Drug catalogue"),
)
class DrugViewSet(mixins.ListModelMixin, ApiViewSet):
    """The drug catalogue: insurance coverage class (甲/乙/丙) and price per package."""

    schema_topic = "医疗目录"
    serializer_class = DrugSerializer
    filterset_class = DrugFilterSet

    def get_queryset(self):
        return selectors.drugs_active()
