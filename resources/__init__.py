"""Data shipped with the app: procedure definitions, fonts and icons."""
