"""Pure domain logic: no textual, no peewee."""
