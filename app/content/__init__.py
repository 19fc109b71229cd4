"""Content files: read, validated and loaded into the database in one go."""
