"""Targets of different provinces that measure the same thing, side by side."""
