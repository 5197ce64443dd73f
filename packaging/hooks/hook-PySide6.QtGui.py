"""QtGui as PyInstaller's own hook collects it, less the plugins the app never loads.

The GTK 3 platform theme would bring the build machine's GTK, cairo and pango
into the bundle (GTK alone is 8 MB) where they can clash with the user's own; without
it Qt draws its own dialogs or asks the desktop portal. The embedded-device and
remote platforms (eglfs, linuxfb, vnc, Vulkan display) and the generic input
plugins they read (evdev, TUIO over the network) are for kiosks, not laptops.
What those plugins alone would pull in (QtNetwork among it) is not collected.
"""

from pathlib import Path

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

UNUSED_PLUGINS = ("qgtk3", "qeglfs", "qlinuxfb", "qminimalegl", "qvkkhrdisplay", "qvnc")
UNUSED_PLUGIN_TYPES = ("egldeviceintegrations", "generic")


def _used(source: str, destination: str) -> bool:
    """Keep a collected binary unless it is one of the plugins above."""
    if Path(destination).name in UNUSED_PLUGIN_TYPES:
        return False
    stem = Path(source).stem.removeprefix("lib")
    return stem not in UNUSED_PLUGINS


hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [(source, destination) for source, destination in binaries if _used(source, destination)]
