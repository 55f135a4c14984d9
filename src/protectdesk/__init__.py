"""Protection Desk."""
