def save_image(*args, **kwargs):
    pass


def make_grid(tensor, padding=2, normalize=False, **kwargs):
    return tensor[0]
