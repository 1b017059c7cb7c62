"""The Checks dock: the pre-publication check run again shortly after every change, each problem a click away."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QLabel, QListWidgetItem, QVBoxLayout, QWidget

from editor.core.check import ERROR, Problem, check_article
from editor.ui.background import BackgroundJob, run_in_background
from editor.ui.check_list import PROBLEM_ROLE, CheckList

if TYPE_CHECKING:
    from editor.core.model import Article
    from editor.ui.document import ArticleDocument
    from editor.ui.main_window import MainWindow

CHECK_DELAY_MS = 500  # after the last change, so typing never waits for a check


def tr(text: str) -> str:
    """Translate a user-visible string of the Checks dock."""
    return QCoreApplication.translate("CheckPanel", text)


def _same_place(a: Problem, b: Problem) -> bool:
    return (a.code, a.asset, a.field, a.line) == (b.code, b.asset, b.field, b.line)


class CheckPanel(QObject):
    """Keeps the Checks dock in step with the article; clicking a problem shows where it is."""

    updated = Signal(list)  # the problems now shown

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.list = CheckList()
        self.list.setObjectName("checks_list")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setObjectName("checks_summary")
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        self.dock = QDockWidget(tr("Checks"), window)
        self.dock.setObjectName("checks_dock")  # saveState/restoreState find docks by name
        self.dock.setAccessibleName(tr("Checks"))
        self.dock.setWidget(body)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        window.splitDockWidget(window.preview_dock, self.dock, Qt.Orientation.Vertical)
        window.resizeDocks([window.preview_dock, self.dock], [560, 200], Qt.Orientation.Vertical)

        # Not the dock's own toggle action: that one takes the title, count and all, as its menu text.
        toggle = QAction(tr("Chec&ks Panel"), window)
        toggle.setCheckable(True)
        toggle.setShortcut(QKeySequence("Ctrl+Alt+K"))
        toggle.setStatusTip(tr("Show the problems to fix before publishing"))
        toggle.setChecked(not self.dock.isHidden())
        toggle.toggled.connect(self._show_dock)
        self.dock.visibilityChanged.connect(lambda _visible: toggle.setChecked(not self.dock.isHidden()))
        window.addAction(toggle)
        window.commands.review_menu.addAction(toggle)
        self.toggle_action = toggle
        self._hidden_for_focus = False
        window.commands.focus_mode.toggled.connect(self._on_focus_mode)

        self._problems: list[Problem] = []
        self._job: BackgroundJob | None = None
        self._again = False  # a change came while a check ran
        self._document: ArticleDocument | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(CHECK_DELAY_MS)
        self._timer.timeout.connect(self.run_now)
        self.list.problem_activated.connect(self.go_to)
        self.list.itemClicked.connect(self._on_clicked)
        window.document_replaced.connect(self._follow)
        self._follow(window.document)

    def _on_focus_mode(self, on: bool) -> None:
        """Focus mode shows only the text; the dock comes back with the other panes."""
        if on and not self.dock.isHidden():
            self._hidden_for_focus = True
            self.dock.hide()
        elif not on and self._hidden_for_focus:
            self._hidden_for_focus = False
            self.dock.show()

    def _show_dock(self, on: bool) -> None:
        if on == self.dock.isHidden():
            self.dock.setVisible(on)
            if on:
                self.dock.raise_()

    def set_delay(self, milliseconds: int) -> None:
        """How long after the last change the check runs again."""
        self._timer.setInterval(max(0, milliseconds))

    def _follow(self, document: ArticleDocument) -> None:
        self._document = document
        document.content_changed.connect(self._timer.start)
        self.run_now()

    # --- running the check ---------------------------------------------------------------
    def run_now(self) -> None:
        """Check the article as it is now, in the background; a run already going is followed by another."""
        self._timer.stop()
        if self._job is not None:  # running, or its result not yet delivered
            self._again = True
            return
        article = self.window.document.article()
        edge = self.window.preferences.import_settings.max_edge
        # "Too large" means larger than the size pictures are scaled to on import, as in the export dialog.
        options = {"max_image_edge": edge} if edge else {}
        self._again = False
        self._job = run_in_background(lambda: _check(article, options), self._on_checked, self)

    def _on_checked(self, problems: list[Problem] | None, error: BaseException | None) -> None:
        self._job = None
        if self._again:
            self.run_now()
            return
        if error is not None or problems is None:
            self.summary.setText(tr("The check could not run ({error}).").format(error=error))
            return
        self._show(problems)

    def _show(self, problems: list[Problem]) -> None:
        if problems != self._problems:
            current = self.list.problem_at(self.list.currentRow())
            self._problems = list(problems)
            self.list.set_problems(problems)
            if current is not None:
                row = next((i for i, p in enumerate(problems) if _same_place(p, current)), 0)
                self.list.setCurrentRow(row)
        errors = sum(1 for p in problems if p.severity == ERROR)
        warnings = len(problems) - errors
        count = len(problems)
        self.dock.setWindowTitle(tr("Checks ({count})").format(count=count) if count else tr("Checks"))
        if not problems:
            self.summary.setText(tr("No problems found."))
        else:
            self.summary.setText(tr("{errors} error(s), {warnings} warning(s). Click one to go to it.")
                                 .format(errors=errors, warnings=warnings))
        self.list.setVisible(bool(problems))
        self.updated.emit(list(problems))

    def problems(self) -> list[Problem]:
        """The problems shown now."""
        return list(self._problems)

    def is_busy(self) -> bool:
        """Whether a check is waiting or running."""
        return self._timer.isActive() or self._job is not None

    # --- going to a problem --------------------------------------------------------------
    def _on_clicked(self, item: QListWidgetItem) -> None:
        problem = item.data(PROBLEM_ROLE)
        if problem is not None:
            self.go_to(problem)

    def go_to(self, problem: Problem) -> None:
        """Show where a problem is: its line, its image, its metadata field."""
        from editor.ui.export_dialog import go_to_problem

        go_to_problem(self.window, problem)

    def shutdown(self) -> None:
        """Stop checking; wait for a check still running."""
        self._timer.stop()
        self._again = False
        if self._job is not None:
            self._job.wait(10)


def _check(article: Article, options: dict) -> list[Problem]:
    return check_article(article, **options)


def install(window: MainWindow) -> CheckPanel:
    """Install the Checks dock on the window."""
    return CheckPanel(window)
