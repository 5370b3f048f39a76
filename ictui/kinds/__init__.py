"""Record kinds: what each kind of record holds and which values it accepts."""
