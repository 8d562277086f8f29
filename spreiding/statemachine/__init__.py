"""The case lifecycle: the StateChart of a BZK location case, its rules and its persistence.

**Pure part** (imports no store: no ``spreiding.models``, SQLAlchemy or SQLModel; the
simulation, the specification gate and any reader may import it):

* :mod:`.chart` - the StateChart :class:`~.chart.CaseLifecycle` with Dutch labels, its graph
  (:func:`~.chart.transitions`), the state sets (final, waiting, clock stopped),
  :func:`~.chart.clock_runs` and :func:`~.chart.allowed_events`;
* :mod:`.rules` - roles, payload rules per event, the versioned scope rule, principle flags;
* :mod:`.effects` - what each event does to scope, dossier and clock (one table, used by the
  live path and by the replay of ``case verify``);
* :mod:`.norms` - the service norm of a waiting state (:func:`~.norms.service_norm`);
* :mod:`.calendar` - working days; :mod:`.audit` - the keyed hash chain and its anchors;
* :mod:`.checks`, :mod:`.diagram` - formal checks and drawings of the executable graph.

**Store part**: :mod:`.service` (registering, sending events, reading, listing, verifying
stored cases; one transaction per event) and :mod:`.demo` (the demo cases).
"""
