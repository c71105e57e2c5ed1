"""Small utilities shared by the layers (progress bars)."""
