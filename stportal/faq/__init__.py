"""Questions and answers and information pages (SPEC 5 P10), edited by staff, searchable, Swedish
and English."""
