"""The build stage's front end, by concern (`build.build` is the stage's entry point):

* `document.py`: the walk over the document, webhooks, callbacks, x-speakeasy-globals, the Api;
* `operations.py`: operations and parameters; `bodies.py`: request bodies and responses;
* `schemas.py`: the schema parser (`schema_type`), `$ref`s, scalars, lists, maps, tuples;
  `objects.py`, `unions.py`, `enums.py`: the named types it builds;
* `registry.py` (named types by key), `report.py` (the diagnostics sink), `examples.py`,
  `names.py` (candidate names of inline types), `shapes.py` (pure reads of schema nodes).

Each piece is given the small parts it uses (the spec, the registry, a `schema_type`
callable, the `Problems` sink) rather than the whole front end; the modules by concern
outside the package (streaming, pagination, security, connection, namespaces) see it
through `context.BuildContext`.
"""
