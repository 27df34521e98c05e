"""Reading logs: CSV, Excel, Google Sheets."""
