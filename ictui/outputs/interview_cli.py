"""`ictui interview ...`: list, show and plan interviews from the command line."""

from __future__ import annotations

import argparse


def add_interview_commands(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
    reading: argparse.ArgumentParser,
) -> None:
    """Add `ictui interview` and its verbs to the command line's subcommands."""
