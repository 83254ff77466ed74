"""The report chart (appendix 7): horizontal bars of the others' mean per competency with the
self-assessment as a marker, rendered on the server as SVG (no JavaScript, same in the PDF)."""

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from appraisal.languages import localized
from survey360.selectors import Report

LABEL_W = 300
BAR_W = 300
ROW_H = 24
TOP = 26
LEGEND_CHAR_W = 7  # DejaVu Sans at 11 px: a generous width per letter


def report_chart(report: Report, scale_max: int = 5) -> SafeString:
    if not report.ready:
        return mark_safe("")
    lines = report.lines
    width = LABEL_W + BAR_W + 60
    height = TOP + ROW_H * len(lines) + 30
    unit = BAR_W / scale_max
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(_("Компетенция"))}" font-family="DejaVu Sans, sans-serif" font-size="11">'
    ]
    for tick in range(scale_max + 1):
        x = LABEL_W + tick * unit
        parts.append(f'<line x1="{x:.1f}" y1="{TOP - 6}" x2="{x:.1f}" y2="{TOP + ROW_H * len(lines)}" stroke="#d1d5db"/>')
        parts.append(f'<text x="{x:.1f}" y="{TOP - 10}" text-anchor="middle" fill="#555">{tick}</text>')
    for i, line in enumerate(lines):
        y = TOP + i * ROW_H
        fill = "#c2410c" if line.least else "#2563eb"
        weight = ' font-weight="bold"' if line.least else ""
        name = escape(localized(line.competency, "name"))
        parts.append(f'<text x="{LABEL_W - 6}" y="{y + 15}" text-anchor="end"{weight}>{name}</text>')
        if line.mean is not None:
            w = float(line.mean) * unit
            parts.append(f'<rect x="{LABEL_W}" y="{y + 4}" width="{w:.1f}" height="{ROW_H - 8}" fill="{fill}"/>')
            parts.append(f'<text x="{LABEL_W + w + 4:.1f}" y="{y + 15}">{number_format(line.mean, 2)}</text>')
        if line.self_mean is not None:
            x = LABEL_W + float(line.self_mean) * unit
            parts.append(f'<line x1="{x:.1f}" y1="{y + 1}" x2="{x:.1f}" y2="{y + ROW_H - 1}" stroke="#111" '
                         f'stroke-width="3"/>')
    ly = TOP + ROW_H * len(lines) + 18
    x = 10.0
    for kind, colour, label in (("rect", "#2563eb", _("Среднее других")), ("rect", "#c2410c", _("наименее выражена")),
                                ("line", "#111", _("Самооценка"))):
        if kind == "rect":
            parts.append(f'<rect x="{x:.1f}" y="{ly - 9}" width="12" height="10" fill="{colour}"/>')
        else:
            parts.append(f'<line x1="{x + 6:.1f}" y1="{ly - 10}" x2="{x + 6:.1f}" y2="{ly + 1}" stroke="{colour}" '
                         f'stroke-width="3"/>')
        parts.append(f'<text x="{x + 16:.1f}" y="{ly}">{escape(label)}</text>')
        x += 16 + LEGEND_CHAR_W * len(label) + 20  # labels are translated: place them by their length
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — names escaped above
