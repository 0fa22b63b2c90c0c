"""The emit stage: deterministic JSON-LD bytes, safe script blocks, injection and files."""
