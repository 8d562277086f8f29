"""The case lifecycle: the StateChart of a BZK location case, its rules and its persistence."""
