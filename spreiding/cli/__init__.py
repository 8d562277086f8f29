"""The ``spreiding`` command line (Typer + rich): the administrator's tool on the server host."""
