"""Funding applications for courses (ST-medel, SPEC 5 P3): apply, decide, invoice details, spending
per area and year."""
