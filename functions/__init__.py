"""The 14 functions, level schemes and their levels, and the decision-rights matrix."""
