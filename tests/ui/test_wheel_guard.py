"""The wheel scrolls the metadata form past its combo boxes instead of changing them, unless one has focus."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QSpinBox, QVBoxLayout, QWidget

from editor.core.model import Article, ImageAsset, Metadata, Status
from editor.ui.document import ArticleDocument
from editor.ui.metadata_form import MetadataForm
from editor.ui.preferences import Preferences
from editor.ui.wheel_guard import guard_value_widgets, no_wheel_unless_focused
from tests.ui.window_helpers import png_bytes


def wheel(widget: QWidget, steps: int = -1) -> None:
    """One real notch of the mouse wheel over the middle of the widget (negative: scrolling down)."""
    top = widget.window()
    QTest.wheelEvent(top.windowHandle(), QPointF(widget.mapTo(top, widget.rect().center())), QPoint(0, 120 * steps))
    QApplication.processEvents()


@pytest.fixture
def form(qtbot) -> MetadataForm:
    """A shown, short form (so it scrolls) with two pictures to choose a featured image from."""
    assets = [ImageAsset.from_bytes(name, png_bytes(), width=8, height=6) for name in ("a.png", "b.png")]
    document = ArticleDocument(Article(metadata=Metadata(title="T", language="en"), assets=assets))
    shown = MetadataForm(document, Preferences())
    qtbot.addWidget(shown)
    shown.resize(360, 200)
    shown.show()
    qtbot.waitExposed(shown)
    shown.activateWindow()
    qtbot.waitUntil(shown.isActiveWindow)
    return shown


def test_every_value_widget_of_the_form_takes_focus_only_by_click_or_tab(form):
    boxes = form.findChildren(QComboBox) + form.findChildren(QAbstractSpinBox)
    assert {form.language, form.status, form.featured} <= set(boxes)
    for box in boxes:
        assert box.focusPolicy() == Qt.FocusPolicy.StrongFocus


@pytest.mark.parametrize("name", ["status", "featured", "language"])
def test_wheel_over_an_unfocused_combo_leaves_its_value_and_scrolls_the_form(form, qtbot, name):
    box: QComboBox = getattr(form, name)
    form.title.setFocus()
    qtbot.waitUntil(form.title.hasFocus)
    form.scroll.ensureWidgetVisible(box, 0, 60)
    bar = form.scroll.verticalScrollBar()
    assert bar.maximum() > bar.minimum()
    before_index, before_scroll = box.currentIndex(), bar.value()
    undo_steps = form._document.undo_stack.count()
    wheel(box, 1 if before_scroll > bar.minimum() else -1)
    assert box.currentIndex() == before_index
    assert box.currentText() == ("en" if name == "language" else box.itemText(before_index))
    assert form._document.undo_stack.count() == undo_steps
    assert not box.hasFocus()
    assert bar.value() != before_scroll  # the wheel went to the scroll area instead


def test_wheel_over_the_focused_status_box_changes_it(form, qtbot):
    form.scroll.ensureWidgetVisible(form.status, 0, 60)
    form.status.setFocus()
    qtbot.waitUntil(form.status.hasFocus)
    before = form.status.currentIndex()
    wheel(form.status, -1)
    assert form.status.currentIndex() == before + 1
    assert form._document.metadata.status == Status(form.status.currentData())


def test_the_helper_guards_spin_boxes_and_is_safe_to_apply_twice(qtbot):
    root = QWidget()
    spin, other = QSpinBox(), QSpinBox()
    layout = QVBoxLayout(root)
    layout.addWidget(spin)
    layout.addWidget(other)
    qtbot.addWidget(root)
    guard_value_widgets(root)
    no_wheel_unless_focused(spin)  # a second time must not double anything up
    root.show()
    qtbot.waitExposed(root)
    root.activateWindow()
    qtbot.waitUntil(root.isActiveWindow)
    other.setFocus()
    qtbot.waitUntil(other.hasFocus)
    wheel(spin, 1)
    assert spin.value() == 0
    spin.setFocus()
    qtbot.waitUntil(spin.hasFocus)
    wheel(spin, 1)
    assert spin.value() == 1
