"""Qt windows, dialogs and table models. They call services; they never talk SQL."""
