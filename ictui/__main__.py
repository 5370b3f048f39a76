"""`python -m ictui`: the same as the `ictui` command."""

import sys

from ictui.cli import main

sys.exit(main())
