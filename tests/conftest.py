"""Test set-up: Qt without a display; WebEngine's sandbox off only when running as root."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if hasattr(os, "geteuid") and os.geteuid() == 0:
    # Chromium refuses to start its sandbox as root; normal users keep the sandbox.
    flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
    if "--no-sandbox" not in flags:
        os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = (flags + " --no-sandbox").strip()

# Custom URL schemes must be declared before the QApplication exists; importing WebEngine this early
# also lets it set up the shared OpenGL context it needs.
from editor.ui.url_scheme import register_url_schemes

register_url_schemes()
