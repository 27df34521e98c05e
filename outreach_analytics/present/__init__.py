"""Charts and the shareable report."""
