"""Escalation Recorder: an offline, encrypted record of safeguarding escalations."""

__version__ = "0.1.0"
