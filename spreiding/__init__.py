"""spreiding: coordination of the spreading of Dutch national government services and jobs.

The package holds the store (``models``), the case lifecycle (``statemachine``), the scheduled
flows (``flows``), the projection model (``simulation``) and the command line (``cli``).
"""

__version__ = "0.1.0"
