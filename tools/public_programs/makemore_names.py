"""A stand-in for makemore's names.txt (32,033 names), which some programs read from disk: 2,000 lower-case names.
The first five are the file's own first five, which the lectures count on (the bigrams of "emma" are 5, and the
first five names give the MLP's first 32 examples); the rest have 2 to 9 letters, drawn from a fixed seed with
letters that follow one another as in names (a vowel tends to follow a consonant), so that a model has something to
learn."""

import numpy as np

VOWELS, CONSONANTS = "aeiouy", "bcdfghjklmnpqrstvwxz"


FIRST = ["emma", "olivia", "ava", "isabella", "sophia"]


def words(n=2000):
    rng = np.random.default_rng(5)
    names = list(FIRST)
    for _ in range(n - len(FIRST)):
        length = int(rng.integers(2, 10))
        vowel = bool(rng.integers(0, 2))
        letters = []
        for _ in range(length):
            pool = VOWELS if vowel else CONSONANTS
            letters.append(pool[int(rng.integers(0, len(pool)))])
            vowel = not vowel if rng.random() < 0.8 else vowel
        names.append("".join(letters))
    return names
