"""Qt widgets: windows, dialogs, table models. The only package that imports PySide6."""
