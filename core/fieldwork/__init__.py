"""Field execution's rules, on plain data: appointments and their calls, check-in positions,
verification (codes, photos), follow-up calls and technician risk. What a step finds suspicious
is a flag (core.fieldwork.flags): recorded and shown, never a block."""
