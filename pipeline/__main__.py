"""`python -m pipeline` runs the schemapress command."""

from pipeline.cli import main

main(prog_name="schemapress")
