"""Start the bundled app exactly as the ``escalation-recorder`` console script does."""

from desktop.launch import main

raise SystemExit(main())
