# expect: accepted
# A correct solution: Tensor.unfold makes the windows, amax takes their maximum.


def maxpool2d(x, k, s):
    windows = x.unfold(2, k, s).unfold(3, k, s)  # N x C x H_out x W_out x k x k
    return windows.amax(dim=(-2, -1))
