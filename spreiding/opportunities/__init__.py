"""Regional opportunities (measure M5): the rules, the store and the yearly overview."""
