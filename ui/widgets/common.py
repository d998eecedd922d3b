"""Small building blocks: themed labels, chips, touch cards and touch scrolling."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QLayout,
    QPushButton,
    QScrollArea,
    QScroller,
    QScrollerProperties,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ui.widgets.flow import FlowLayout

Chip = tuple[str, str]  # (text, tone): tone is ok | warn | info | bundle | neutral


def set_role(widget: QWidget, role: str, **props: str) -> QWidget:
    """Set the ``role`` (and other) properties the QSS selects on, and re-polish."""
    widget.setProperty("role", role)
    for name, value in props.items():
        widget.setProperty(name, value)
    repolish(widget)
    return widget


def repolish(widget: QWidget) -> None:
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)


def make_label(text: str = "", role: str = "", *, wrap: bool = True, parent: QWidget | None = None) -> QLabel:
    label = QLabel(parent)
    label.setText(text)
    label.setWordWrap(wrap)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if role:
        set_role(label, role)
    return label


def make_chip(text: str, tone: str = "neutral") -> QLabel:
    chip = QLabel()
    chip.setText(text)
    chip.setTextFormat(Qt.TextFormat.PlainText)
    set_role(chip, "chip", tone=tone)
    chip.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
    return chip


class ChipRow(QWidget):
    """A wrapping row of chips that can be refilled."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = FlowLayout(self, spacing=8)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)

    def set_chips(self, chips: Iterable[Chip]) -> None:
        while self._layout.count():
            item = self._layout.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().hide()
                item.widget().deleteLater()
        for text, tone in chips:
            self._layout.addWidget(make_chip(text, tone))
        has_chips = self._layout.count() > 0
        if self.parentWidget() is not None or not has_chips:  # never show a parentless row as a window
            self.setVisible(has_chips)
        self.updateGeometry()

    def texts(self) -> list[str]:
        out = []
        for i in range(self._layout.count()):
            item = self._layout.itemAt(i)
            widget = item.widget() if item is not None else None
            if isinstance(widget, QLabel):
                out.append(widget.text())
        return out


class CardButton(QPushButton):
    """A touch card: title, optional subtitle and chips; the whole card is one button."""

    def __init__(self, parent: QWidget | None = None, *, tile: bool = False) -> None:
        super().__init__(parent)
        set_role(self, "tile" if tile else "card")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(6)
        self.title = make_label(role="tiletitle" if tile else "cardtitle")
        self.subtitle = make_label(role="small")
        if tile:
            self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.subtitle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.chips = ChipRow()
        for widget in (self.title, self.subtitle):
            widget.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.chips)
        self.key = ""

    def set_content(self, title: str, subtitle: str = "", chips: Iterable[Chip] = ()) -> None:
        self.title.setText(title)
        self.subtitle.setText(subtitle)
        self.subtitle.setVisible(bool(subtitle))
        self.chips.set_chips(chips)
        self.setAccessibleName(title)
        self.updateGeometry()

    def sizeHint(self) -> QSize:
        layout = self.layout()
        return layout.totalSizeHint() if layout is not None else super().sizeHint()

    def minimumSizeHint(self) -> QSize:
        layout = self.layout()
        if layout is None:
            return super().minimumSizeHint()
        return layout.totalMinimumSize()

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        layout = self.layout()
        return layout.totalHeightForWidth(width) if layout is not None else super().heightForWidth(width)


def make_scroll_area(content: QWidget) -> QScrollArea:
    """A vertical scroll area that follows a finger (kinetic scrolling with the mouse/touch)."""
    area = QScrollArea()
    area.setWidget(content)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    QScroller.grabGesture(area.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
    scroller = QScroller.scroller(area.viewport())
    props = scroller.scrollerProperties()
    # Deliver a tap to the button at once (no press delay), and never overshoot past the ends.
    props.setScrollMetric(QScrollerProperties.ScrollMetric.MousePressEventDelay, 0)
    props.setScrollMetric(
        QScrollerProperties.ScrollMetric.VerticalOvershootPolicy,
        QScrollerProperties.OvershootPolicy.OvershootAlwaysOff,
    )
    scroller.setScrollerProperties(props)
    return area


def clear_layout(layout: QLayout) -> None:
    """Remove and delete every widget of ``layout`` (recursively through nested layouts)."""
    while layout.count():
        item = layout.takeAt(0)
        if item is None:
            continue
        widget = item.widget()
        if widget is not None:
            widget.hide()
            widget.deleteLater()
        elif item.layout() is not None:
            clear_layout(item.layout())
