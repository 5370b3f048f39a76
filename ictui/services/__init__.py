"""The domain's operations and arithmetic: no Textual, no disk of their own."""
