"""Where a chart's parts go on its figure: at the chart's own size (PNG, SVG), or centred on a
printed page (the PDF's A4 landscape), shrunk only when the chart is larger than the page.

Charts are laid out in inches (a day is ``DAY_IN`` wide, a label row a fixed height), then
placed through a ``Frame``, which turns inches from the layout's bottom-left corner into figure
fractions. On a page, every text is shrunk by the same factor as the layout (``shrink_text``),
so that what fits on screen fits on paper.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.figure import Figure
from matplotlib.text import Text

from scheduler.output.gantt_parts import CHAR_EM, TEXT_PT

A4_LANDSCAPE_IN = (11.69, 8.27)
PAGE_MARGIN_IN = 0.4
LEGEND_ROW_IN = 0.27
LEGEND_KEY_IN = 0.55  # a legend entry's patch and the gaps around it


@dataclass(frozen=True)
class Frame:
    """The layout (``width`` × ``height`` inches) on its figure: the layout's own size, or ``page``."""

    width: float
    height: float
    page: tuple[float, float] | None = None

    @property
    def size(self) -> tuple[float, float]:
        return self.page or (self.width, self.height)

    @property
    def scale(self) -> float:
        if self.page is None:
            return 1.0
        page_w, page_h = self.page
        return min(1.0, (page_w - 2 * PAGE_MARGIN_IN) / self.width,
                   (page_h - 2 * PAGE_MARGIN_IN) / self.height)

    def fx(self, x_in: float) -> float:
        """Figure fraction of ``x_in`` inches from the layout's left edge (centred on a page)."""
        fig_w = self.size[0]
        offset = (fig_w - self.width * self.scale) / 2
        return (offset + x_in * self.scale) / fig_w

    def fy(self, y_in: float) -> float:
        """Figure fraction of ``y_in`` inches from the layout's bottom (top-aligned on a page)."""
        fig_h = self.size[1]
        top = fig_h - (PAGE_MARGIN_IN if self.page else 0.0)
        return (top - (self.height - y_in) * self.scale) / fig_h

    def fw(self, w_in: float) -> float:
        return w_in * self.scale / self.size[0]

    def fh(self, h_in: float) -> float:
        return h_in * self.scale / self.size[1]


def legend_layout(labels: Sequence[str], width_in: float) -> tuple[int, int]:
    """(rows, columns) of a legend whose entries fit ``width_in`` at ``TEXT_PT``."""
    widest = max((len(label) for label in labels), default=1) * TEXT_PT * CHAR_EM / 72 + LEGEND_KEY_IN
    columns = max(1, min(len(labels), int((width_in - 0.2) // widest)))
    return math.ceil(len(labels) / columns), columns


def shrink_text(fig: Figure, scale: float) -> None:
    """Every text of ``fig`` at ``scale`` times its size (a chart shrunk onto a page)."""
    if scale >= 1.0:
        return
    for artist in fig.findobj(lambda a: isinstance(a, Text)):
        if isinstance(artist, Text):
            artist.set_fontsize(float(artist.get_fontsize()) * scale)
