"""Each CCG's level over time and the rule that says who decides a function on a date."""
