"""The PySide6 user interface over the services in `app`."""
