"""Translations: .qm files build and translate; .ts files cover every tr() string; no bare literals."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QTranslator

from kiosk.paths import resource
from ui.i18n import LANGUAGE_NAMES, TranslationError, build_translations

UI_DIR = Path(__file__).resolve().parents[2] / "ui"
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
ZH_TEXT = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")  # incl. full-width punctuation
WORD = re.compile(r"[A-Za-z]{2,}")
# Calls whose text arguments reach the screen.
TEXT_SINKS = {
    "setText",
    "setPlaceholderText",
    "setToolTip",
    "setWindowTitle",
    "setStatusTip",
    "setTitle",
    "setAccessibleName",
    "setAccessibleDescription",
    "setWhatsThis",
    "addItem",
    "addTab",
    "setTabText",
    "setItemText",
    "setHtml",
    "setPlainText",
    "showMessage",
    "QLabel",
    "QPushButton",
    "QCheckBox",
    "QRadioButton",
    "QToolButton",
    "QGroupBox",
    "QAction",
    "QMessageBox",
    "make_label",
    "make_chip",
    "set_content",
    "text",
    "heading",
}
TRANSLATE = {"tr", "translate"}
# Strings that are deliberately not translated: each language's name in its own language.
ALLOWED = set(LANGUAGE_NAMES.values())


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _literal_parts(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return [v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)]
    if isinstance(node, ast.BinOp):
        return _literal_parts(node.left) + _literal_parts(node.right)
    return []


def untranslated_literals(source: str, filename: str = "<src>") -> list[str]:
    """Literal user-facing text not wrapped in tr()/translate(); returns 'file:line: text' entries."""
    tree = ast.parse(source, filename)
    problems: list[str] = []
    inside_tr: set[int] = set()
    docstrings: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _name(node.func) in TRANSLATE:
            inside_tr.update(id(n) for arg in node.args for n in ast.walk(arg))
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
        if isinstance(node, ast.Call) and _name(node.func) in {
            "debug",
            "info",
            "warning",
            "error",
            "exception",
        }:
            inside_tr.update(id(n) for arg in node.args for n in ast.walk(arg))  # log messages
    reported: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _name(node.func) in TEXT_SINKS:
            # The text is the first argument (or text=/title=); later ones are roles, tones, icons.
            args = node.args[:1] + [k.value for k in node.keywords if k.arg in ("text", "title")]
            for arg in args:
                if id(arg) in inside_tr:
                    continue
                for text in _literal_parts(arg):
                    if (CJK.search(text) or WORD.search(text)) and text not in ALLOWED:
                        problems.append(f"{filename}:{node.lineno}: {text!r} passed to {_name(node.func)}()")
                        reported.update(id(n) for n in ast.walk(arg))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and CJK.search(node.value)
            and id(node) not in inside_tr | docstrings | reported
            and node.value not in ALLOWED
        ):
            problems.append(f"{filename}:{node.lineno}: Chinese literal {node.value!r} outside tr()")
    return problems


def test_lint_catches_untranslated_literals():
    bad = 'label.setText("你好")\nQPushButton("Start")\nx = "请稍候"\nb.setText(f"Hello {n}")\n'
    assert len(untranslated_literals(bad)) == 4
    good = '"""文档字符串"""\nlabel.setText(self.tr("Hello"))\nb.setText(ch.upper())\n'
    good += 'b.setText(f"{a}\\n{b}")\nlog.info("kiosk %s", x)\nmake_label(text, "hero")\n'
    assert untranslated_literals(good) == []


def test_no_untranslated_literals_in_ui():
    problems = []
    for path in sorted(UI_DIR.rglob("*.py")):
        problems += untranslated_literals(
            path.read_text(encoding="utf-8"), str(path.relative_to(UI_DIR.parent))
        )
    assert problems == []


def _messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    root = ET.parse(ts).getroot()
    return {
        (ctx.findtext("name"), msg.findtext("source")): msg
        for ctx in root.iter("context")
        for msg in ctx.iter("message")
    }


def test_ts_files_are_complete_for_every_string_in_the_code(tmp_path):
    extract = tmp_path / "extract.ts"
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    files = [str(p) for p in sorted(UI_DIR.rglob("*.py"))]
    subprocess.run([str(lupdate), *files, "-ts", str(extract)], check=True, capture_output=True, timeout=60)
    in_code = _messages(extract)
    assert len(in_code) > 50
    for language in ("zh_CN", "en_US"):
        in_ts = _messages(resource("i18n", f"kiosk_{language}.ts"))
        missing = sorted(set(in_code) - set(in_ts))
        assert missing == [], f"kiosk_{language}.ts lacks {missing}"
        for key, msg in in_ts.items():
            translation = msg.find("translation")
            assert translation.get("type") not in ("unfinished", "vanished", "obsolete"), (language, key)
            forms = [f.text for f in translation.findall("numerusform")] or [translation.text]
            assert all(forms), (language, key)
            if language == "zh_CN" and key in in_code:
                assert all(ZH_TEXT.search(f) for f in forms), f"zh_CN translation of {key} has no Chinese"


def test_qm_files_translate(qm_dir):
    zh, en = QTranslator(), QTranslator()
    assert zh.load("kiosk_zh_CN", str(qm_dir)) and en.load("kiosk_en_US", str(qm_dir))
    assert zh.translate("NavBar", "Back") == "返回"
    assert zh.translate("AttractScreen", "Touch the screen to start") == "请触摸屏幕开始办理"
    assert zh.translate("Guide", "At most one visit") == "最多跑一次"
    assert zh.translate("HomeScreen", "%n item(s)", "", 3) == "%n 项"
    assert en.translate("HomeScreen", "%n item(s)", "", 1) == "%n item"
    assert en.translate("HomeScreen", "%n item(s)", "", 2) == "%n items"
    assert en.translate("IdleOverlay", "Continue") == "Continue"


def test_build_translations_reports_problems(tmp_path):
    with pytest.raises(TranslationError, match="no kiosk_"):
        build_translations(tmp_path, tmp_path / "out")
    (tmp_path / "kiosk_xx.ts").write_text("<TS><context><name>A</name>", encoding="utf-8")
    with pytest.raises(TranslationError, match=r"kiosk_xx\.ts"):
        build_translations(tmp_path, tmp_path / "out")
    (tmp_path / "kiosk_xx.ts").write_text(
        '<?xml version="1.0" encoding="utf-8"?><!DOCTYPE TS><TS version="2.1" language="xx">'
        '<context><name>A</name><message><source>Hi</source><translation type="unfinished"/></message>'
        "</context></TS>",
        encoding="utf-8",
    )
    with pytest.raises(TranslationError, match="unfinished or untranslated"):
        build_translations(tmp_path, tmp_path / "out", strict=True)
    assert build_translations(tmp_path, tmp_path / "out") == [tmp_path / "out" / "kiosk_xx.qm"]
