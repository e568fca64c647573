"""Statistics: the trace kept for counting, figures aggregated in the database, disclosure
control for anything that leaves the service, exports and charts."""
