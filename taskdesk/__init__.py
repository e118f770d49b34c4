"""taskdesk: ongoing work and projects, in one terminal app."""

__version__ = "0.1.0"
