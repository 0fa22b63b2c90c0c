"""schemapress: health and drug article pages to validated schema.org JSON-LD."""
