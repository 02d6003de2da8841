from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from members.policies import CUSTOMERS

from .. import selectors
from . import serializers as s


class SearchView(APIView):
    """The dashboard's search box as an endpoint: everything the caller may see that the text names."""

    @extend_schema(parameters=[OpenApiParameter("q", str, required=True,
                                                description="A mobile number or its last four digits, a name or "
                                                            "its pinyin initials, a unit, a case or member number.")],
                   responses=s.SearchResultsSerializer)
    def get(self, request):
        query = request.query_params.get("q", "").strip()
        if not query:
            raise ValidationError({"q": [_("Enter something to search for.")]})
        return Response(s.SearchResultsSerializer(selectors.search(request.user, query)).data)


class CallerLookupView(APIView):
    """The call center's screen pop: the card of each customer the caller's number belongs to."""

    policy = CUSTOMERS

    @extend_schema(parameters=[OpenApiParameter("phone", str, required=True,
                                                description="The calling number, e.g. 13812345678 or +8613812345678.")],
                   responses=s.CallerCardSerializer(many=True))
    def get(self, request):
        phone = request.query_params.get("phone", "")
        if len("".join(ch for ch in phone if ch.isdigit())) < 11:
            raise ValidationError({"phone": [_("Enter the caller's whole mobile number.")]})
        return Response(s.CallerCardSerializer(selectors.caller_cards(request.user, phone), many=True).data)
