"""The pages: Jinja2 templates over services/, per user group."""
