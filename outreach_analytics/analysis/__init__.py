"""Counts, rates, statistics and activity computed from a normalized log."""
