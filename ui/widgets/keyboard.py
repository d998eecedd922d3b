"""The on-screen keyboard (letters and digits: pinyin search needs no IME) and the search field."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLineEdit, QPushButton, QSizePolicy, QWidget

from ui.widgets.common import set_role

ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm")


class OnScreenKeyboard(QWidget):
    """Letter and digit keys plus backspace, clear and space.

    Keys never take the focus, so the search field keeps its cursor. Letters are shown in upper
    case like a physical keyboard and typed in lower case (pinyin).

    Signals:
        typed(str): a character key was pressed.
        backspace(): the delete key was pressed.
        cleared(): the clear key was pressed.
    """

    typed = Signal(str)
    backspace = Signal()
    cleared = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("keyboard")
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(8)
        self.keys: dict[str, QPushButton] = {}
        for row, chars in enumerate(ROWS):
            offset = row - 1 if row >= 2 else 0  # stagger the letter rows a half key per row
            for col, ch in enumerate(chars):
                button = self._key(f"key_{ch}", "key")
                button.setText(ch.upper())
                button.clicked.connect(lambda _=False, c=ch: self.typed.emit(c))
                grid.addWidget(button, row, col * 2 + offset, 1, 2)
        self.backspace_key = self._key("key_backspace", "keyspecial")
        self.backspace_key.setAutoRepeat(True)
        self.backspace_key.clicked.connect(self.backspace)
        grid.addWidget(self.backspace_key, 3, 16, 1, 4)
        self.clear_key = self._key("key_clear", "keyspecial")
        self.clear_key.clicked.connect(self.cleared)
        self.space_key = self._key("key_space", "keyspecial")
        self.space_key.clicked.connect(lambda: self.typed.emit(" "))
        grid.addWidget(self.clear_key, 4, 0, 1, 6)
        grid.addWidget(self.space_key, 4, 6, 1, 14)
        for col in range(20):
            grid.setColumnStretch(col, 1)
        self.retranslate()

    def _key(self, name: str, role: str) -> QPushButton:
        button = QPushButton(self)
        button.setObjectName(name)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        set_role(button, role)
        self.keys[name.removeprefix("key_")] = button
        return button

    def retranslate(self) -> None:
        self.backspace_key.setText(self.tr("Delete"))
        self.clear_key.setText(self.tr("Clear"))
        self.space_key.setText(self.tr("Space"))


class SearchField(QLineEdit):
    """The big search box; the on-screen keyboard and a hardware keyboard both edit it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("search_field")
        set_role(self, "search")
        self.setClearButtonEnabled(False)
        self.setMaxLength(40)
        self.setInputMethodHints(Qt.InputMethodHint.ImhNoPredictiveText)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.retranslate()

    def retranslate(self) -> None:
        self.setPlaceholderText(self.tr("Item name or pinyin initials, e.g. sbk"))

    def show_text(self, text: str) -> None:
        """Render ``text`` without emitting textEdited; keep the cursor at the end."""
        if self.text() != text:
            self.setText(text)
        self.setCursorPosition(len(text))


class SearchPanel(QWidget):
    """A search field with a clear layout hook: the owner places field and keyboard itself.

    Signals:
        query_edited(str): the new query after any key, hardware edit, delete or clear.
    """

    query_edited = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = SearchField()
        self.keyboard = OnScreenKeyboard()
        self.keyboard.typed.connect(self._on_typed)
        self.keyboard.backspace.connect(self._on_backspace)
        self.keyboard.cleared.connect(lambda: self._emit(""))
        self.field.textEdited.connect(self.query_edited)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.field)

    def _on_typed(self, ch: str) -> None:
        text = self.field.text()
        pos = self.field.cursorPosition()
        self._emit(text[:pos] + ch + text[pos:])

    def _on_backspace(self) -> None:
        text = self.field.text()
        pos = self.field.cursorPosition()
        if pos > 0:
            self._emit(text[: pos - 1] + text[pos:])

    def _emit(self, text: str) -> None:
        self.field.show_text(text)
        self.query_edited.emit(text)

    def retranslate(self) -> None:
        self.field.retranslate()
        self.keyboard.retranslate()
