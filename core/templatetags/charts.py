"""{{ svg|svg_as_image:"alt text" }}: an inline SVG chart shown as an image, so that its own <style>
stays inside the image and the page needs no inline style under the Content-Security-Policy."""

import base64

from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def svg_as_image(svg, alt=""):
    if not svg:
        return ""
    data = base64.b64encode(str(svg).encode()).decode()
    return format_html('<img class="chart-image" src="data:image/svg+xml;base64,{}" alt="{}">', data, alt)
