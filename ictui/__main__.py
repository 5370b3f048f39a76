"""`python -m ictui`: the same as the `ictui` command."""

import sys

from ictui.outputs.cli import main

sys.exit(main())
