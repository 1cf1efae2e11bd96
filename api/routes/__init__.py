"""One router per resource of the JSON API."""
