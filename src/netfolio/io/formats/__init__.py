"""One module per import format; see the registry below."""
