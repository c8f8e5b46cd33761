"""The ``communs`` command line (Typer). Heavy libraries are imported lazily."""
