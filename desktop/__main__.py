"""Run the command line (and, with no command, the app): ``python -m desktop``."""

from desktop.cli import main

raise SystemExit(main())
