# expect: wrong_answer
# Mistake: a plain class, not a torch.autograd.Function: its apply computes
# 2 * sigmoid(2x) - 1 with torch's own autograd, so the values are right but no
# backward is written at all.
import torch


class TanhFunction:
    @staticmethod
    def apply(x):
        return 2 * torch.sigmoid(2 * x) - 1
