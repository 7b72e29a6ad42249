"""Scheduled work on PTB's JobQueue: rollover.py rolls the open-task counts daily.

Deadline nudges, weekly digests and the outbox sender arrive with their own issues: jobs
will write to an outbox table and one rate-limited sender will drain it (DESIGN.md, "Shape").
"""
