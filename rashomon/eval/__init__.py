"""``rashomon eval``: score each stage on public benchmark data (``../shared/data``)."""
