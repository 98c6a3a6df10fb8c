"""Instrument library: validated scales as data, scored by the Django-free engine in `engine/`."""
