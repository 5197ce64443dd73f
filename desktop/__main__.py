"""Run the command line (and, with no command, the app): ``python -m desktop``."""

from desktop.launch import main

raise SystemExit(main())
