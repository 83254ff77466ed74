"""The score cells of the ranking page, built in Python (issue 12).

A page for 300 staff has 1,200 cells; as a template loop with a six-option <select> and a
comment <textarea> each, it spent 91 % of the view in the template engine and weighed
870 KB. A draft cell is now one small <td> carrying its value and comment as data; its
parameter is its column's (the <th data-code> above it). The controls — one <select> and
one <textarea>, rendered once in a <template> — are cloned into each cell by
static/js/ranking.js, which names them s<sheet>-<code> and s<sheet>-<code>_comment as the
form has always posted them. A sent sheet shows its points and comment as text.
"""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def score_cells(row) -> str:
    """The <td> of each parameter of one row of `ranking.views.sheet_rows`."""
    esc = conditional_escape
    parts = []
    if row["sheet"].is_submitted:
        for cell in row["cells"]:
            comment = f'<div class="comment">{esc(cell["comment"])}</div>' if cell["comment"] else ""
            parts.append(f'<td><span class="points">{esc(cell["value"])}</span>{comment}</td>')
    else:
        for cell in row["cells"]:
            comment = f' data-c="{esc(cell["comment"])}"' if cell["comment"] else ""
            parts.append(f'<td class="score" data-v="{esc(cell["value"])}"{comment}></td>')
    return mark_safe("".join(parts))  # noqa: S308  every value above is escaped


@register.simple_tag
def score_control(points, comment_placeholder: str) -> str:
    """The controls of one draft cell, rendered once per page (cloned by ranking.js)."""
    options = "".join(format_html('<option value="{}">{}</option>', n, n) for n in points)
    return format_html(
        '<select data-weight=""><option value="">—</option>{}</select>'
        '<textarea placeholder="{}"></textarea>', mark_safe(options), comment_placeholder)  # noqa: S308
