# expect: forbidden_api
# Calls torch.nn.functional.max_pool2d, which the question forbids.
import torch.nn.functional as F


def maxpool2d(x, k, s):
    return F.max_pool2d(x, k, s)
