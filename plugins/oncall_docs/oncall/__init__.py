"""oncall."""
