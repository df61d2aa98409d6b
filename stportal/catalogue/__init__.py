"""The course catalogue (SPEC 5 P2): the region's programme and external courses, by goal and
subject; providers preferred or other."""
