"""The team file: its format, lock, durable writes, transactions and change feed."""
