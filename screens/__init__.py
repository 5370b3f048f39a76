"""The screens of the ictui app, one module each."""
