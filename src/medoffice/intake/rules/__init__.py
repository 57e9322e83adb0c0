"""Pure rules of the intake context (no Django): which forms are due, conditions, answers."""
