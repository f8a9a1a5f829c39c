"""The local voice mode: offline speech in and out around the shared dialogue session."""
