"""Label Studio: the HTTP client, the local server, push, export reading, normalising, project status."""
