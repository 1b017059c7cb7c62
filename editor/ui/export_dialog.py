"""File ▸ Export…: choose a format and a place, see what the check found, jump to a problem or export anyway."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, Qt, QThread, Signal
from PySide6.QtGui import QCursor, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from editor.core.check import Problem
from editor.core.errors import EditorError
from editor.core.export import FORMATS, ExportResult, default_output_name, export_article
from editor.core.model import Article
from editor.ui import dialogs, file_ops
from editor.ui.check_list import CheckList

if TYPE_CHECKING:
    from editor.ui.main_window import MainWindow

MESSAGE_MS = 10_000
# An export this quick needs no dialog; a slower one shows how far it got.
PROGRESS_DELAY_MS = 400


def tr(text: str) -> str:
    """Translate a user-visible string of the export dialog."""
    return QCoreApplication.translate("ExportDialog", text)


def ask_export_path(parent: QWidget | None, suggested: Path, fmt: str) -> Path | None:
    """Ask where to export; None when cancelled. Replacing is asked later, the same way for files and folders."""
    chosen, _ = QFileDialog.getSaveFileName(
        parent, tr("Export As {format}").format(format=fmt), str(suggested), tr("All files (*)"), "",
        QFileDialog.Option.DontConfirmOverwrite,
    )
    return Path(chosen) if chosen else None


@dataclass(frozen=True)
class ExportChoice:
    """What the user chose in the dialog."""

    fmt: str
    output: Path
    clean: bool


class ExportDialog(QDialog):
    """Format, destination and clean copy above the check's problems; with problems the button says "Export Anyway"."""

    problem_chosen = Signal(object)  # a Problem the user wants to go to

    def __init__(self, article: Article, folder: Path, problems: list[Problem], parent: QWidget | None = None,
                 fmt: str = "textpack") -> None:
        super().__init__(parent)
        self.setObjectName("export_dialog")
        self.setWindowTitle(tr("Export"))
        self._article = article
        self._folder = folder
        self.format_box = QComboBox()
        self.format_box.setAccessibleName(tr("Format"))
        for name, description in FORMATS.items():
            self.format_box.addItem(f"{name} — {description}", name)
        self.destination = QLineEdit()
        self.destination.setAccessibleName(tr("Destination"))
        self.choose_button = QPushButton(tr("&Choose…"))
        self.clean_box = QCheckBox(tr("C&lean copy (leave review data out)"))
        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        self.problem_list = CheckList()
        self.problem_list.set_problems(problems)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.addButton(
            tr("Export &Anyway") if problems else tr("&Export"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setDefault(True)
        self._build_layout(bool(problems))

        self.format_box.currentIndexChanged.connect(self._on_format_changed)
        self.destination.textChanged.connect(self._update_button)
        self.choose_button.clicked.connect(self.choose_destination)
        self.problem_list.problem_activated.connect(self._on_problem)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        index = self.format_box.findData(fmt)
        self.format_box.setCurrentIndex(max(index, 0))
        self._on_format_changed()

    def _build_layout(self, has_problems: bool) -> None:
        where = QHBoxLayout()
        where.addWidget(self.destination, 1)
        where.addWidget(self.choose_button)
        form = QFormLayout()
        form.addRow(tr("&Format:"), self.format_box)
        # A row holding a layout gets no buddy from the form, so the label is given its field by hand.
        destination_label = QLabel(tr("&Destination:"))
        destination_label.setBuddy(self.destination)
        form.addRow(destination_label, where)
        form.addRow("", self.clean_box)
        count = self.problem_list.count()
        self.problem_label.setText(
            tr("The check found {count} problem(s). Double-click one to go to it, or export anyway.")
            .format(count=count)
            if has_problems else tr("The check found no problems."))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.problem_list, 1)
        self.problem_list.setVisible(has_problems)
        layout.addWidget(self.buttons)
        self.resize(620, 440 if has_problems else 200)

    @property
    def fmt(self) -> str:
        """The chosen format's name."""
        return str(self.format_box.currentData())

    def choice(self) -> ExportChoice:
        """The chosen format, destination and clean flag."""
        return ExportChoice(self.fmt, Path(self.destination.text().strip()), self.clean_box.isChecked())

    def choose_destination(self) -> None:
        """Ask for a destination with the file chooser."""
        chosen = ask_export_path(self, self._current_path(), self.fmt)
        if chosen is not None:
            self.destination.setText(str(chosen))

    def _current_path(self) -> Path:
        text = self.destination.text().strip()
        return Path(text) if text else self._folder / default_output_name(self._article, self.fmt)

    def _on_format_changed(self, _index: int = 0) -> None:
        # The place stays where the user put it; the name follows the format.
        folder = self._current_path().parent if self.destination.text().strip() else self._folder
        self.destination.setText(str(folder / default_output_name(self._article, self.fmt)))
        # Only the native bundle can carry review data; the other formats never do, clean or not.
        self.clean_box.setEnabled(self.fmt in ("textbundle", "textpack"))

    def _update_button(self) -> None:
        self.export_button.setEnabled(bool(self.destination.text().strip()))

    def _on_problem(self, problem: Problem) -> None:
        self.problem_chosen.emit(problem)


def go_to_problem(window: MainWindow, problem: Problem) -> None:
    """Show where a problem is: its line in the text, its image in the Images dock, its field in the form."""
    if problem.line:
        window.text_pane.goto_line(problem.line)
    if problem.asset:
        window.images_panel.select(problem.asset)
        # An image the text names but the bundle lacks has nothing in the panel to show.
        if window.images_panel.selected_name() == problem.asset:
            window.images_dock.show()
            window.images_dock.raise_()
    if problem.field:
        widget = getattr(window.metadata_form, problem.field, None)
        if isinstance(widget, QWidget):
            window.metadata_dock.show()
            window.metadata_dock.raise_()
            widget.setFocus(Qt.FocusReason.OtherFocusReason)


class _ExportThread(QThread):
    """Runs one export and keeps its result or its exception; reports progress as a signal."""

    progressed = Signal(int, int)

    def __init__(self, article: Article, choice: ExportChoice, force: bool, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._article = article
        self._choice = choice
        self._force = force
        self.result: ExportResult | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = export_article(self._article, self._choice.fmt, self._choice.output, force=self._force,
                                         clean=self._choice.clean, progress=self.progressed.emit)
        except Exception as exc:  # handed back to the UI thread, which decides what to show
            self.error = exc


def run_export(article: Article, choice: ExportChoice, force: bool, parent: QWidget | None) -> ExportResult:
    """Export in a worker thread while a progress dialog shows how far it got; raises what the export raised."""
    thread = _ExportThread(article, choice, force)
    loop = QEventLoop()
    thread.finished.connect(loop.quit)
    progress = QProgressDialog(tr("Exporting “{name}”…").format(name=choice.output.name), "", 0, 0, parent)
    progress.setCancelButton(None)  # the export is put in place in one step; there is no half to stop at
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setAutoClose(False)
    progress.setAutoReset(False)
    progress.setAccessibleName(tr("Exporting"))
    progress.setMinimumDuration(PROGRESS_DELAY_MS)

    alive = [True]  # reports still queued when the export is over must not reach the closed dialog

    def show(done: int, total: int) -> None:
        if alive[0]:
            progress.setMaximum(max(total, 1))
            progress.setValue(min(done, max(total, 1)))

    thread.progressed.connect(show)
    QGuiApplication.setOverrideCursor(QCursor(Qt.CursorShape.BusyCursor))
    try:
        thread.start()
        # `finished` reaches the loop as a queued call even when the thread is already done, after every
        # progress report, so the loop always ends and the dialog has seen the whole export.
        loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        thread.wait()
    finally:
        alive[0] = False
        QGuiApplication.restoreOverrideCursor()
        progress.close()
        progress.deleteLater()
        thread.deleteLater()
    if thread.error is not None:
        raise thread.error
    assert thread.result is not None
    return thread.result


class ExportFlow(QObject):
    """One File ▸ Export… from the dialog to the status bar message."""

    finished = Signal(bool)  # True when something was exported

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        from editor.core.check import check_article

        self.window = window
        self.article = window.document.article()
        document_path = window.document.path
        folder = document_path.parent if document_path is not None else window.start_folder()
        # "Too large" means larger than the size the user has pictures scaled to on import.
        edge = window.preferences.import_settings.max_edge
        self.problems = check_article(self.article, **({"max_image_edge": edge} if edge else {}))
        self.dialog = ExportDialog(self.article, folder, self.problems, window)
        self.dialog.problem_chosen.connect(self._go_to)
        self.dialog.accepted.connect(self._export)
        self.dialog.rejected.connect(lambda: self._done(False))

    def start(self) -> None:
        """Show the dialog; the export starts when the user accepts it."""
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.open()

    def _go_to(self, problem: Problem) -> None:
        self.dialog.reject()
        go_to_problem(self.window, problem)

    def _export(self) -> None:
        choice = self.dialog.choice()
        window = self.window
        force = False
        own = window.document.path
        if own is not None and file_ops.same_path(choice.output, own):
            dialogs.show_error(window, tr("An export cannot replace the article's own bundle; use Save As to "
                                          "save a copy in another place."))
            self._done(False)
            return
        if choice.output.exists() or choice.output.is_symlink():
            if not dialogs.ask_replace(window, choice.output):
                self._done(False)
                return
            force = True
        try:
            result = run_export(self.article, choice, force, window)
        except EditorError as exc:  # OutputExistsError too, when something appeared at OUT meanwhile
            dialogs.show_error(window, str(exc))
            self._done(False)
            return
        except Exception as exc:  # a bug in an exporter must not take the window down
            dialogs.show_error(window, tr("The article could not be exported because of an unexpected problem "
                                          "({error}).").format(error=exc))
            self._done(False)
            return
        message = tr("Exported to “{path}”.").format(path=result.output)
        if result.notes:
            message += " " + " ".join(result.notes)
            dialogs.show_warnings(window, tr("Exported with notes"), list(result.notes))
        window.statusBar().showMessage(message, MESSAGE_MS)
        self._done(True)

    def _done(self, exported: bool) -> None:
        self.dialog.deleteLater()
        self.finished.emit(exported)
        self.deleteLater()


def start_export(window: MainWindow) -> ExportFlow:
    """Begin File ▸ Export… for the window's article."""
    flow = ExportFlow(window)
    flow.start()
    return flow
