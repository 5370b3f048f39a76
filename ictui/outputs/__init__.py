"""What ictui gives outside the app: the command line, exports, checks and demo data."""
