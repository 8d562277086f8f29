"""The SimPy Monte Carlo projection of fte per province under the guiding principles.

Modules, from input to output (none is imported here, so ``import spreiding.simulation``
stays cheap):

- :mod:`.parameters` — scenarios: TOML files, validated and documented key by key;
- :mod:`.lifecycle` — the case walk, compiled from the case lifecycle StateChart;
- :mod:`.baseline` — the start: fte per organisation per province on the latest peildatum;
- :mod:`.model` — one replication (SimPy);
- :mod:`.montecarlo` — replications in batches on worker processes, merged in order;
- :mod:`.targets` — multi-year targets ("stip op de horizon");
- :mod:`.outputs`, :mod:`.charts`, :mod:`.bijsluiter` — CSV files, fan chart, maps, bijsluiter;
- :mod:`.commands` — ``spreiding simulate`` and ``spreiding scenario``.

The Prefect flow is :mod:`spreiding.flows.projection`; the model is described in
``docs/simulation.md``.
"""
