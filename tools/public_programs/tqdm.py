"""A stand-in for tqdm's progress bar, which some programs wrap their loaders in: it draws nothing and hands the
iterable on unchanged (the bar is drawn on stderr, which the comparison does not read)."""


def tqdm(iterable=None, *args, **kwargs):
    return iterable
