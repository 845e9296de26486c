"""Compare the articles of one story."""
