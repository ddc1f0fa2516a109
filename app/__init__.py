"""Conclave (职称评审会议系统): the meeting engine. Never imports Qt."""

__version__ = "0.1.0"
