"""Workforce scheduling for customer-service centres: scenario in, minimum-headcount roster out."""

__version__ = "0.1.0"
