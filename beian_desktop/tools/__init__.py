"""Developer tools (the fake SMS gateway comes with the sending issue)."""
