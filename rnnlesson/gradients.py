"""What a parameter's ``.grad`` holds, shown as a table (notebook 04;
``plots.plot_grad_states`` draws it).

A parameter's gradient is in one of three states:
    "None"     ``p.grad is None``: never filled, or cleared with set_to_none=True (the
               default)
    "zero"     a tensor of zeros: cleared with set_to_none=False
    "nonzero"  a gradient that the next backward() will add to
"""

from __future__ import annotations

from collections.abc import Mapping

from torch import Tensor, nn

STATES = ("None", "zero", "nonzero")


def grad_state(parameter: Tensor) -> str:
    """ "None", "zero" or "nonzero": what ``parameter.grad`` holds right now."""
    if not isinstance(parameter, Tensor):
        raise TypeError(
            f"parameter must be a torch.Tensor, got {type(parameter).__name__}"
        )
    if parameter.grad is None:
        return "None"
    return "nonzero" if bool(parameter.grad.any()) else "zero"


def grad_states(modules: nn.Module | Mapping[str, nn.Module]) -> dict[str, str]:
    """Parameter name -> grad state, for one module or for several named ones (names get
    the module's name as a prefix: {"a": model_a} gives "a.rnn.weight_ih_l0", ...)."""
    if isinstance(modules, nn.Module):
        modules = {"": modules}
    if not isinstance(modules, Mapping) or not all(
        isinstance(m, nn.Module) for m in modules.values()
    ):
        raise TypeError(
            "modules must be an nn.Module or a mapping of names to nn.Modules"
        )
    return {
        f"{prefix}.{name}" if prefix else name: grad_state(p)
        for prefix, module in modules.items()
        for name, p in module.named_parameters()
    }


def check_columns(columns: object) -> Mapping[str, Mapping[str, str]]:
    """Raise a clear error unless ``columns`` maps column titles to ``grad_states(...)``
    snapshots."""
    if not isinstance(columns, Mapping) or not columns:
        raise ValueError(
            "columns must be a non-empty mapping of column title -> grad_states(...)"
        )
    for title, states in columns.items():
        if not isinstance(states, Mapping) or not all(
            isinstance(n, str) and s in STATES for n, s in states.items()
        ):
            raise ValueError(
                f"columns[{title!r}] must be a grad_states(...) snapshot: parameter "
                f"name -> one of {', '.join(STATES)}, got {states!r}"
            )
    return columns


def format_grad_table(columns: Mapping[str, Mapping[str, str]]) -> str:
    """A plain-text table: one row per parameter name, one column per snapshot of
    ``grad_states``."""
    check_columns(columns)
    names = list(dict.fromkeys(name for states in columns.values() for name in states))
    width = max(len("parameter"), *(len(n) for n in names))
    widths = [max(len(title), 7) for title in columns]
    lines = [
        "  ".join(
            ["parameter".ljust(width)] + [t.ljust(w) for t, w in zip(columns, widths)]
        ).rstrip()
    ]
    for name in names:
        cells = [
            states.get(name, "-").ljust(w) for states, w in zip(columns.values(), widths)
        ]
        lines.append("  ".join([name.ljust(width)] + cells).rstrip())
    return "\n".join(lines)


def grad_norms(module: nn.Module) -> dict[str, float]:
    """Parameter name -> the norm of its ``.grad`` (0.0 where ``.grad`` is None)."""
    if not isinstance(module, nn.Module):
        raise TypeError(f"module must be an nn.Module, got {type(module).__name__}")
    return {
        name: 0.0 if p.grad is None else p.grad.norm().item()
        for name, p in module.named_parameters()
    }
