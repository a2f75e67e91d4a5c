"""The plan stage, between naming and rendering: the SDK as its user sees it (client, namespaces,
methods, arguments, models, enums, unions), decided once from the IR and the names and
held in frozen records (`records.py`); rendering and the public surface read it.

| module | decides |
| --- | --- |
| `names.py` | the names as the SDK spells them (gen.yaml adjustments to the naming stage's) |
| `methods.py` | the client, namespaces, methods: argument names, flattening, stream twins, pages |
| `models.py` | model modules, field names, annotations and defaults, union tags, enum members |
| `jsonio.py` | the plan as stable JSON (for debugging and tests) |
"""

from __future__ import annotations

from ..config import TargetConfig
from ..model import Api
from ..naming import Names
from ..pytypes import TypeContext
from . import methods, models
from .names import adjusted_names
from .records import Plan


def build_plan(api: Api, names: Names, cfg: TargetConfig) -> Plan:
    """The plan of one SDK (`names`: from the naming stage)."""
    names = adjusted_names(api, names, cfg)
    types = {t.key: t for t in api.types}
    # annotations as the resources modules spell them / as the models package does
    code_ctx = TypeContext(names, types, "models.", "_types.open_enum")
    model_ctx = TypeContext(names, types, "")
    client, root = methods.client(api, names, cfg, code_ctx)
    return Plan(cfg.import_name, client, root, models.modules(api, names, cfg, model_ctx),
                names, types)


__all__ = ["Plan", "build_plan"]
