"""rnnlesson: from a sine wave to an RNN that predicts the future one point at a time."""
