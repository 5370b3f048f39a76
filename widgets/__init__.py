"""Reusable widgets of the ictui app, one per module."""
