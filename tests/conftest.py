import torch

# A 10-unit RNN runs faster, and steadier on a shared machine, on one thread (as set_seed does
# in the notebooks).
torch.set_num_threads(1)
