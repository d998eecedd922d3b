"""Kiosk <-> intake platform protocol v1: shared crypto (signing.py), request auth (auth.py),
the kiosk client (client.py) and the reference intake platform server (server/)."""
