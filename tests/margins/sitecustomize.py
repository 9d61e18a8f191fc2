"""`make test-margins`: every Python process started with this folder on PYTHONPATH
(pytest and the notebook kernels it starts) loads the models shipped in
rnnlesson/checkpoints/ with each weight multiplied by
(1 + 2e-7 * noise), noise drawn from RNNLESSON_WEIGHT_JITTER as a seed.

That is a little more than the last-digit differences between CPU code paths, so a stored
number that changes under it sits on a rounding boundary and would flip on some machine,
AVX-512 or ARM included, that `make test` cannot simulate here. Round it to fewer digits.
"""

import os

if os.environ.get("RNNLESSON_WEIGHT_JITTER"):
    from pathlib import Path

    import torch

    from rnnlesson import checkpoints

    _shipped = Path(checkpoints.__file__).parent / "checkpoints"

    _load = checkpoints.load_checkpoint
    _noise = torch.Generator().manual_seed(int(os.environ["RNNLESSON_WEIGHT_JITTER"]))

    def _jittered_load(path, *args, **kwargs):
        model, extra = _load(path, *args, **kwargs)
        # a file a notebook saved itself
        if Path(path).resolve().parent != _shipped.resolve():
            return model, extra
        with torch.no_grad():
            for weight in model.parameters():
                weight.mul_(
                    1 + 2e-7 * torch.randn(weight.shape, generator=_noise).to(weight)
                )
        return model, extra

    checkpoints.load_checkpoint = _jittered_load  # before rnnlesson.pretrained imports it
