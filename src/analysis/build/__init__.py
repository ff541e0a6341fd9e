"""Building and publishing the site: Sphinx extensions, vendored libraries, cache, PDF, editions."""
