"""My shift: one person's shifts, what is due before them, readiness and calendar feed. Pure."""
