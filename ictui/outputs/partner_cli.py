"""`ictui partner ...`: rename, merge and archive partners from the command line."""

from __future__ import annotations

import argparse


def add_partner_commands(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
    reading: argparse.ArgumentParser,
) -> None:
    """Add `ictui partner` and its verbs to the command line's subcommands."""
