from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from members.policies import CUSTOMERS

from .. import merging, selectors
from . import serializers as s


class SearchView(APIView):
    """The dashboard's search box as an endpoint: everything the caller may see that the text names."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "q",
                str,
                required=True,
                description="A mobile number or its last four digits, a name or "
                "its pinyin initials, a unit, a case or member number.",
            )
        ],
        responses=s.SearchResultsSerializer,
    )
    def get(self, request):
        query = request.query_params.get("q", "").strip()
        if not query:
            raise ValidationError({"q": [_("Enter something to search for.")]})
        return Response(s.SearchResultsSerializer(selectors.search(request.user, query)).data)


class CallerLookupView(APIView):
    """The call center's screen pop: the card of each customer the caller's number belongs to."""

    policy = CUSTOMERS

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "phone", str, required=True, description="The calling number, e.g. 13812345678 or +8613812345678."
            )
        ],
        responses=s.CallerCardSerializer(many=True),
    )
    def get(self, request):
        phone = request.query_params.get("phone", "")
        if len("".join(ch for ch in phone if ch.isdigit())) < 11:
            raise ValidationError({"phone": [_("Enter the caller's whole mobile number.")]})
        return Response(s.CallerCardSerializer(selectors.caller_cards(request.user, phone), many=True).data)


def _pair(request, survivor_id, duplicate_id):
    pair = merging.visible_pair(request.user, survivor_id, duplicate_id)
    if pair is None:
        raise NotFound(_("No such customer among yours."))
    return pair


def _ids(data):
    serializer = s.MergeInputSerializer(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class DuplicateCustomersView(APIView):
    """Pairs of customer records that are likely the same person, to review and merge."""

    policy = merging.MERGES

    @extend_schema(responses=s.DuplicatePairSerializer(many=True))
    def get(self, request):
        pairs = [
            {"survivor": a, "duplicate": b, "reason": reason}
            for a, b, reason in merging.likely_duplicates(request.user)
        ]
        return Response(s.DuplicatePairSerializer(pairs, many=True).data)


class MergePreviewView(APIView):
    """What a merge would do: the differing values to choose between, what moves, what stands in the way."""

    policy = merging.MERGES

    @extend_schema(
        parameters=[
            OpenApiParameter("survivor", int, required=True),
            OpenApiParameter("duplicate", int, required=True),
        ],
        responses=s.MergePreviewSerializer,
    )
    def get(self, request):
        data = _ids(
            {"survivor": request.query_params.get("survivor"), "duplicate": request.query_params.get("duplicate")}
        )
        survivor, duplicate = _pair(request, data["survivor"], data["duplicate"])
        return Response(s.MergePreviewSerializer(merging.preview(survivor=survivor, duplicate=duplicate)).data)


class CustomerMergeView(APIView):
    """Merge two records of one person: 201 with the merge; 409 with `conflicts` when something must be
    settled first; nothing is written unless everything is."""

    policy = merging.MERGES

    @extend_schema(request=s.MergeInputSerializer, responses={201: s.CustomerMergeSerializer})
    def post(self, request):
        data = _ids(request.data)
        survivor, duplicate = _pair(request, data["survivor"], data["duplicate"])
        merge = merging.merge_customers(
            survivor=survivor, duplicate=duplicate, actor=request.user, keep_from_duplicate=data["keep_from_duplicate"]
        )
        return Response(s.CustomerMergeSerializer(merge).data, status=status.HTTP_201_CREATED)
