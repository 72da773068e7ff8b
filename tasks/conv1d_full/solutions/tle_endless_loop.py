# expect: time_limit_exceeded
# Never returns: an endless loop inside the function.


def conv1d(a, v):
    while True:
        pass
