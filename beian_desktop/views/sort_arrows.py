"""A header whose sort arrow points the way people read it: up for ascending (A to Z,
oldest first), down for descending. QHeaderView hands the style "SortDown" for an
ascending sort, which Fusion draws as a down arrow; this style swaps the two."""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QProxyStyle, QStyle, QStyleOptionHeader

_SWAPPED = {
    QStyleOptionHeader.SortIndicator.SortUp: QStyleOptionHeader.SortIndicator.SortDown,
    QStyleOptionHeader.SortIndicator.SortDown: QStyleOptionHeader.SortIndicator.SortUp,
}


class SortArrowStyle(QProxyStyle):
    def drawPrimitive(self, element, option, painter, widget=None) -> None:
        if element == QStyle.PrimitiveElement.PE_IndicatorHeaderArrow and isinstance(
            option, QStyleOptionHeader
        ):
            flipped = QStyleOptionHeader(option)
            flipped.sortIndicator = _SWAPPED.get(option.sortIndicator, option.sortIndicator)
            super().drawPrimitive(element, flipped, painter, widget)
            return
        super().drawPrimitive(element, option, painter, widget)


def use_reading_arrows(header: QHeaderView) -> SortArrowStyle:
    """Installs the style on `header`; the caller keeps the returned style alive."""
    style = SortArrowStyle(header.style().name())
    header.setStyle(style)
    return style
