"""The Guizhou demo: synthetic department exports calibrated to published totals (see docs/data.md)."""
