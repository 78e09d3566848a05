"""The engine: a shift plan (counts of shifts per day and start, HiGHS and CP-SAT), the
roster that puts them on agents, and the explanation when there is none."""
