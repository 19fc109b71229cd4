"""Running Xanh: the health check, request logs, backups."""
