"""Committees, terms of reference, membership, meetings, votes and decisions."""
