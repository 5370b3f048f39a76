"""ictui: a terminal app for teams that look after their internal customers."""

__version__ = "0.1.0"
