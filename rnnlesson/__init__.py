"""rnnlesson: from a sine wave to an RNN that predicts the future one point at a time.

Modules, one idea each: data, model, training, rollout, plots, widgets, stacking,
reproducibility, checkpoints, pretrained, exercises.
"""

__version__ = "0.1.0"
