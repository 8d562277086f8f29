"""The SimPy Monte Carlo projection of fte per province under the guiding principles.

The simulation takes numbers and never reads the store: it imports neither
:mod:`spreiding.models`, SQLAlchemy nor SQLModel. Whoever runs it (``spreiding simulate`` in
:mod:`spreiding.cli.simulation`, the flow in :mod:`spreiding.flows.projection`) reads the
start counts (:func:`spreiding.models.figures.start_counts`) and the regional opportunity
weights (:func:`spreiding.opportunities.store.regional_weights`), and for ``simulate`` the
open and decided cases (:class:`~.pipeline.KnownPlan`), and passes them in as a
:class:`~.baseline.Baseline`. The rules it applies (scope threshold, considerations, the
lifecycle chart and the service norms) are read from :mod:`spreiding.statemachine.rules`,
:mod:`spreiding.statemachine.chart` and the settings, never retyped.

Modules, from input to output (none is imported here, so ``import spreiding.simulation``
stays cheap):

- :mod:`.parameters` — scenarios: TOML files, validated and documented key by key, every
  assumption with its distribution;
- :mod:`.references` — reference worlds (hoog, midden, laag) that every policy variant runs in;
- :mod:`.pipeline` — the known cases of the store, as plain plans;
- :mod:`.lifecycle` — the case walk, compiled from the case lifecycle StateChart;
- :mod:`.baseline` — the start: fte per organisation per province on one peildatum;
- :mod:`.model` — one replication (SimPy);
- :mod:`.montecarlo` — replications in batches on worker processes, merged in order; the
  bounds of a run;
- :mod:`.targets` — multi-year targets ("stip op de horizon");
- :mod:`.fitting` — the reference growth fitted on the store's history;
- :mod:`.backtest` — the model against the store's own later peildata;
- :mod:`.sensitivity` — Morris and Sobol indices of the headline outputs (SALib);
- :mod:`.quantiles` — the numbers the outputs show (Randstad share, quantiles, headlines,
  the policy effects);
- :mod:`.outputs` — CSV files and the output folder, drawing on :mod:`.charts` (fan chart,
  maps, tornado chart) and :mod:`.bijsluiter`.

The model is described in ``docs/simulation.md``.
"""
