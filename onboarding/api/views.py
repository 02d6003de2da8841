from django.http import FileResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.excel import XLSX_CONTENT_TYPE, xlsx_response

from .. import generator, services
from ..choices import BatchStatus, ImportKind
from ..policies import ONBOARDING
from . import serializers as s


class UnitPlanView(APIView):
    """The unit generator. `preview/` lists the units it would create; the plain POST creates those the
    building lacks, so running it again creates nothing."""

    policy = ONBOARDING
    create = True

    @extend_schema(request=s.UnitPlanSerializer, responses=s.UnitGenerationSerializer)
    def post(self, request):
        data = s.UnitPlanSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        plan = dict(data.validated_data)
        building = plan.pop("building")
        ONBOARDING.check_project(request.user, building.project)
        plan["stacks"] = [generator.Stack(**stack) for stack in plan["stacks"]]
        if self.create:
            created, units = generator.generate_units(building=building, actor=request.user, **plan)
        else:
            created, units = 0, generator.plan_units(building=building, **plan)
        return Response(
            s.UnitGenerationSerializer({"created": created, "units": units}).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class UnitPreviewView(UnitPlanView):
    create = False


class ImportBatchListView(APIView):
    """Upload an Excel file: it is stored and checked (a dry run); the answer is the report (202 while a worker
    checks a large file: read the batch until its status is `checked`)."""

    policy = ONBOARDING
    parser_classes = [MultiPartParser]

    @extend_schema(responses=s.ImportBatchSerializer(many=True))
    def get(self, request):
        batches = services.visible_batches(request.user)[:50]
        return Response(s.ImportBatchSerializer(batches, many=True).data)

    @extend_schema(
        request={"multipart/form-data": s.UploadSerializer},
        responses={201: s.ImportBatchSerializer, 202: s.ImportBatchSerializer},
    )
    def post(self, request):
        data = s.UploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        batch = services.upload_import(actor=request.user, **data.validated_data)
        code = status.HTTP_202_ACCEPTED if batch.status == BatchStatus.CHECKING else status.HTTP_201_CREATED
        return Response(s.ImportBatchSerializer(batch).data, status=code)


class ImportBatchDetailView(APIView):
    policy = ONBOARDING

    @extend_schema(responses=s.ImportBatchSerializer)
    def get(self, request, pk):
        return Response(s.ImportBatchSerializer(_batch(request, pk)).data)


class ImportBatchConfirmView(APIView):
    """Apply a checked upload whole (202 while a worker applies a large one)."""

    policy = ONBOARDING

    @extend_schema(request=None, responses={200: s.ImportBatchSerializer, 202: s.ImportBatchSerializer})
    def post(self, request, pk):
        batch = services.confirm_import(batch=_batch(request, pk), actor=request.user)
        code = status.HTTP_202_ACCEPTED if batch.status == BatchStatus.IMPORTING else status.HTTP_200_OK
        return Response(s.ImportBatchSerializer(batch).data, status=code)


class ImportTemplateView(APIView):
    policy = ONBOARDING

    @extend_schema(
        parameters=[OpenApiParameter("kind", str, OpenApiParameter.PATH, enum=["units", "customers", "purchases"])],
        responses={(200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): bytes},
    )
    def get(self, request, kind):
        if kind not in ImportKind.values:
            raise NotFound
        return xlsx_response(f"{kind}-template.xlsx", [services.template_sheet(kind)])


class ImportResultView(APIView):
    policy = ONBOARDING

    @extend_schema(responses={(200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): bytes})
    def get(self, request, pk):
        return result_response(_batch(request, pk))


def result_response(batch) -> FileResponse:
    """The stored result report of an upload, for the API and the dashboard alike."""
    return FileResponse(
        services.result_report(batch),
        as_attachment=True,
        filename=f"import-{batch.pk}-result.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )


def _batch(request, pk):
    return get_object_or_404(services.visible_batches(request.user), pk=pk)
