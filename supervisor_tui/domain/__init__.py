"""Pure rules and models: no Textual, no TinyDB. Tests call these directly."""
