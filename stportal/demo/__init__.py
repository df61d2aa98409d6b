"""Demo data for `stportal demo`: a region with its organisation, people and course weeks,
placed relative to today (Appendix A, "Command line")."""
