"""sdkgen: OpenAPI 3.x description -> typed Python SDK package + markdown reference docs.

The pipeline is a sequence of stages, one module each, run once in order:
load -> validate -> build (intermediate model) -> name -> render -> format -> write.
"""

__version__ = "0.1.0"
