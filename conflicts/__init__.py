"""Registers of interests, gifts and hospitality, procurement decisions and breaches; conflict detection."""
