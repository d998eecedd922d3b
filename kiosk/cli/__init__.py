"""The ``kiosk`` command line: one program for citizens' GUI, technicians and operators."""
