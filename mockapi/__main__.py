"""`python -m mockapi` runs the command line."""

from mockapi.cli import main

raise SystemExit(main())
