"""Qt translations: building the .qm files and switching the language at run time.

Convention: source strings in the code are **English** (Qt's own convention, so ``lupdate`` and the
lint test read them easily); ``resources/i18n/kiosk_zh_CN.ts`` translates every one of them into
Chinese, the primary language, and ``kiosk_en_US.ts`` carries the English plural forms and is
complete too. Every user-facing string goes through ``self.tr()`` (classes that are not
subclassed) or ``translate("Context", ...)``. Catalog data (item names, departments, themes) is
Chinese data and is shown as is. Language names are shown in their own language and are not
translated (``LANGUAGE_NAMES``).

The ``.ts`` sources are committed; the set-up builds the ``.qm`` files with ``build_translations``.
After adding or changing strings, merge them into both sources and translate the new entries
(``pyside6-linguist`` or by hand); ``tests/ui/test_ui_i18n.py`` fails until both are complete::

    .venv/bin/pyside6-lupdate $(find ui -name '*.py') -no-obsolete -locations none \
        -ts resources/i18n/kiosk_zh_CN.ts resources/i18n/kiosk_en_US.ts
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QTranslator, Signal

log = logging.getLogger("kiosk.ui")

LANGUAGES = ("zh_CN", "en_US")
LANGUAGE_NAMES = {"zh_CN": "中文", "en_US": "English"}
TS_PREFIX = "kiosk_"
LRELEASE_TIMEOUT_S = 60


class TranslationError(RuntimeError):
    """The translations could not be built or loaded."""


def find_lrelease() -> str:
    """``pyside6-lrelease`` next to the running interpreter (the venv), else on PATH."""
    local = Path(sys.executable).with_name("pyside6-lrelease")
    if local.exists():
        return str(local)
    found = shutil.which("pyside6-lrelease") or shutil.which("lrelease")
    if not found:
        raise TranslationError("pyside6-lrelease not found: install PySide6 in the virtual environment")
    return found


def build_translations(
    ts_dir: str | Path, out_dir: str | Path, lrelease: str | None = None, *, strict: bool = False
) -> list[Path]:
    """Compile every ``kiosk_*.ts`` in ``ts_dir`` to ``out_dir/kiosk_*.qm``; returns the .qm paths.

    Raises TranslationError naming the file when lrelease fails, and with ``strict`` also when it
    reports unfinished or untranslated strings (otherwise those are logged as a warning).
    """
    ts_dir, out_dir = Path(ts_dir), Path(out_dir)
    sources = sorted(ts_dir.glob(f"{TS_PREFIX}*.ts"))
    if not sources:
        raise TranslationError(f"no {TS_PREFIX}*.ts files in {ts_dir}")
    out_dir.mkdir(parents=True, exist_ok=True)
    tool = lrelease or find_lrelease()
    built = []
    for ts in sources:
        qm = out_dir / (ts.stem + ".qm")
        try:
            proc = subprocess.run(
                [tool, str(ts), "-qm", str(qm)],
                capture_output=True,
                text=True,
                timeout=LRELEASE_TIMEOUT_S,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise TranslationError(f"{tool} did not finish within {LRELEASE_TIMEOUT_S} s on {ts}") from None
        output = (proc.stdout + proc.stderr).strip()
        if proc.returncode != 0 or not qm.is_file():
            raise TranslationError(f"{tool} failed on {ts}: {output}")
        counts = re.findall(r"(\d+) unfinished|Ignored (\d+) untranslated", output)
        missing = sum(int(a or b) for a, b in counts)
        if missing and strict:
            raise TranslationError(f"{ts} has unfinished or untranslated strings: {output}")
        if missing:
            log.warning("%s: %d strings are not translated", ts.name, missing)
        built.append(qm)
    return built


def qm_is_current(ts: Path, qm: Path) -> bool:
    return qm.is_file() and qm.stat().st_mtime >= ts.stat().st_mtime


def ensure_translations(ts_dir: Path, candidates: Sequence[Path]) -> Path:
    """A directory holding current .qm files: the first candidate that has them, else build there.

    The set-up builds them into ``resources/i18n``; if that is missing or stale and not writable,
    they are built into the next candidate (e.g. ``<data_dir>/i18n``).
    """
    sources = sorted(ts_dir.glob(f"{TS_PREFIX}*.ts"))
    for directory in candidates:
        if sources and all(qm_is_current(ts, directory / (ts.stem + ".qm")) for ts in sources):
            return directory
    errors = []
    for directory in candidates:
        try:
            build_translations(ts_dir, directory)
        except (OSError, TranslationError) as exc:
            errors.append(str(exc))
            continue
        log.info("translations built into %s", directory)
        return directory
    raise TranslationError("; ".join(errors) or f"no translations in {ts_dir}")


class LanguageManager(QObject):
    """Installs the translator of the current language on the application.

    Signals:
        changed(str): the language code after a switch.
    """

    changed = Signal(str)

    def __init__(self, qm_dir: Path | None, default: str = "zh_CN", parent: QObject | None = None) -> None:
        super().__init__(parent)
        if default not in LANGUAGES:
            raise ValueError(f"language: expected one of {', '.join(LANGUAGES)}, got {default!r}")
        self.qm_dir = qm_dir
        self.default = default
        self._language = ""
        self._translator: QTranslator | None = None

    @property
    def language(self) -> str:
        return self._language

    def available(self) -> Iterable[str]:
        return LANGUAGES

    def set_language(self, language: str) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"language: expected one of {', '.join(LANGUAGES)}, got {language!r}")
        if language == self._language:
            return
        translator = QTranslator(self)
        if self.qm_dir is None or not translator.load(f"{TS_PREFIX}{language}", str(self.qm_dir)):
            log.warning("no compiled translation for %s in %s: showing source strings", language, self.qm_dir)
            translator = None
        self.uninstall()
        if translator is not None:
            QCoreApplication.installTranslator(translator)
        self._translator = translator
        self._language = language
        self.changed.emit(language)

    def toggle(self) -> None:
        self.set_language(LANGUAGES[(LANGUAGES.index(self._language) + 1) % len(LANGUAGES)])

    def other_language_name(self) -> str:
        """Name of the language the toggle switches to, in that language."""
        index = LANGUAGES.index(self._language) if self._language in LANGUAGES else 0
        return LANGUAGE_NAMES[LANGUAGES[(index + 1) % len(LANGUAGES)]]

    def uninstall(self) -> None:
        if self._translator is not None:
            QCoreApplication.removeTranslator(self._translator)
            self._translator.deleteLater()
            self._translator = None
