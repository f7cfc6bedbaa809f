"""On-time rate charts for the supervisor board (pyqtgraph: Qt Charts is deprecated since Qt
6.10): the rate per day as a line and the rate per region as bars, each point a share of the
runs that finished on time, labelled on the axis.

pyqtgraph loads when a chart is first made (about half a second): a console that never shows
the board, and every process that only imports the workspace, do not pay it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QHBoxLayout, QWidget

if TYPE_CHECKING:
    import pyqtgraph as pg

translate = QCoreApplication.translate
Point = tuple[str, float, int]  # label, rate 0..1, runs finished
GREEN = "#2e7d32"
BLUE = "#1565c0"


def _plot(parent: QWidget, name: str) -> pg.PlotWidget:
    import pyqtgraph as pg  # see the module's note

    plot = pg.PlotWidget(parent, background="w")
    plot.setObjectName(name)
    plot.setYRange(0, 100, padding=0.02)
    plot.showGrid(y=True, alpha=0.3)
    plot.setMouseEnabled(x=False, y=False)
    plot.hideButtons()
    plot.setMinimumHeight(160)
    return plot


def _ticks(points: Sequence[Point], most: int = 12) -> list[list[tuple[int, str]]]:
    step = max(1, len(points) // most)
    return [[(n, p[0]) for n, p in enumerate(points) if n % step == 0]]


class OnTimeCharts(QWidget):
    """Two charts side by side; `set_days` and `set_regions` replace what they show."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("onTimeCharts")
        self.days_plot = _plot(self, "onTimeByDay")
        self.regions_plot = _plot(self, "onTimeByRegion")
        self.days: list[Point] = []
        self.regions: list[Point] = []
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.days_plot, 3)
        layout.addWidget(self.regions_plot, 2)
        self.retranslate()

    def retranslate(self) -> None:
        self.days_plot.setTitle(translate("OnTimeCharts", "On time per day (%)"), color="k")
        self.regions_plot.setTitle(translate("OnTimeCharts", "On time per region (%)"),
                                   color="k")

    def set_days(self, points: Sequence[Point]) -> None:
        self.days = list(points)
        plot = self.days_plot
        plot.clear()
        if points:
            import pyqtgraph as pg  # loaded by _plot already

            xs = list(range(len(points)))
            ys = [p[1] * 100 for p in points]
            plot.plot(xs, ys, pen=pg.mkPen(GREEN, width=2), symbol="o", symbolSize=6,
                      symbolBrush=GREEN)
            plot.setXRange(-0.5, len(points) - 0.5, padding=0)
        plot.getAxis("bottom").setTicks(_ticks(points))

    def set_regions(self, points: Sequence[Point]) -> None:
        self.regions = list(points)
        plot = self.regions_plot
        plot.clear()
        if points:
            import pyqtgraph as pg  # loaded by _plot already

            bars = pg.BarGraphItem(x=list(range(len(points))), height=[p[1] * 100 for p in points],
                                   width=0.6, brush=BLUE)
            plot.addItem(bars)
            plot.setXRange(-0.5, len(points) - 0.5, padding=0)
        plot.getAxis("bottom").setTicks(_ticks(points, most=8))
