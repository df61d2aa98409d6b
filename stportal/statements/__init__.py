"""Supervisor statements (handledarutlåtanden, SPEC 5 P5): draft, ready for review, reviewed; every
version kept."""
