"""The command line's commands over a stored meeting (``conclave documents``, ``verify``, ``key``):
readers and adapters above the services; ``app.cli`` dispatches to them."""
