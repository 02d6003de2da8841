"""Renderers shared by the API's report endpoints."""

from rest_framework.renderers import BaseRenderer

from core.excel import XLSX_CONTENT_TYPE


class XlsxRenderer(BaseRenderer):
    """Lets `?format=xlsx` through DRF's content negotiation (R3); the view answers with the streamed file."""

    media_type = XLSX_CONTENT_TYPE
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data
