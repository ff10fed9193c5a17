"""`ef.config.optimizer`: TF's graph-optimizer (Grappler) options and XLA auto-clustering, as
`tf.config.optimizer`.

These configure how TF rewrites and compiles the graphs of `tf.function`s. `ef.function` replays
the ops it recorded, with no graph rewriting and no XLA: the settings are kept and reported as TF
reports them, and change nothing (docs/differences_from_tensorflow.md).

>>> ef.config.optimizer.get_jit()
''
>>> ef.config.optimizer.get_experimental_options()
{'disable_model_pruning': False, 'disable_meta_optimizer': False}
"""

__all__ = ["get_jit", "set_jit", "get_experimental_options", "set_experimental_options"]

# TF's RewriterConfig fields, in the order TF reports them: toggles (reported once set) and booleans (always)
_TOGGLES = ("layout_optimizer", "constant_folding", "shape_optimization", "remapping", "arithmetic_optimization",
            "dependency_optimization", "loop_optimization", "function_optimization", "debug_stripper",
            "disable_model_pruning", "scoped_allocator_optimization", "pin_to_host_optimization",
            "implementation_selector", "auto_mixed_precision", "use_plugin_optimizers", "disable_meta_optimizer",
            "auto_mixed_precision_onednn_bfloat16", "auto_mixed_precision_mkl")
_BOOLEANS = frozenset({"disable_model_pruning", "disable_meta_optimizer"})
_OTHER = frozenset({"min_graph_nodes"})  # accepted by TF, not reported

_options = {}
_jit = [False]


def get_jit():
    """'autoclustering' when `set_jit` turned XLA auto-clustering on, '' otherwise."""
    return "autoclustering" if _jit[0] else ""


def set_jit(enabled):
    """Turn TF's XLA auto-clustering on (True or 'autoclustering') or off (anything else, as TF).

    >>> ef.config.optimizer.set_jit('autoclustering'); ef.config.optimizer.get_jit()
    'autoclustering'
    >>> ef.config.optimizer.set_jit(False)
    """
    _jit[0] = enabled in (True, "autoclustering")


def get_experimental_options():
    """The Grappler options set so far, as TF reports them (the boolean ones always)."""
    found = {}
    for name in _TOGGLES:
        if name in _BOOLEANS:
            found[name] = bool(_options.get(name, False))
        elif name in _options:
            found[name] = bool(_options[name])
    return found


def set_experimental_options(options):
    """Set Grappler options (`{'constant_folding': False, ...}`); the others stay as they are.

    Unlike TF, which ignores them, an unknown option name is a ValueError and sets nothing.

    >>> ef.config.optimizer.set_experimental_options({'constant_folding': False})
    >>> ef.config.optimizer.get_experimental_options()
    {'constant_folding': False, 'disable_model_pruning': False, 'disable_meta_optimizer': False}
    >>> ef.config.optimizer.set_experimental_options({'constant_folding': True})
    """
    unknown = sorted(set(options) - set(_TOGGLES) - _OTHER)
    if unknown:
        raise ValueError(f"Unknown graph optimizer option(s) {', '.join(map(repr, unknown))}: the options are "
                         f"{', '.join(_TOGGLES + tuple(sorted(_OTHER)))}.")
    _options.update(options)
