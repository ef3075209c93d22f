"""Person records, the duplicates queue, the network view and the MACE list (issue 20)."""
