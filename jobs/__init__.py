"""Scheduled work (deadline nudges, weekly digests, the outbox sender).

Nothing is scheduled yet: the scheduler arrives with its own issue. Jobs will write to an
outbox table and one rate-limited sender will drain it (see DESIGN.md, "Shape").
"""
