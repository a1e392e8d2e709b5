"""One module per section, plus the record pages and forms they open."""
