"""Reusable kiosk widgets (touch-sized, themed through the ``role`` property)."""
