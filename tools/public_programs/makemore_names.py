"""A stand-in for makemore's names.txt (32,033 names), which some programs read from disk: 2,000 lower-case names
of 2 to 9 letters, drawn from a fixed seed with letters that follow one another as in names (a vowel tends to
follow a consonant), so that a bigram model has something to learn."""

import numpy as np

VOWELS, CONSONANTS = "aeiouy", "bcdfghjklmnpqrstvwxz"


def words(n=2000):
    rng = np.random.default_rng(5)
    names = []
    for _ in range(n):
        length = int(rng.integers(2, 10))
        vowel = bool(rng.integers(0, 2))
        letters = []
        for _ in range(length):
            pool = VOWELS if vowel else CONSONANTS
            letters.append(pool[int(rng.integers(0, len(pool)))])
            vowel = not vowel if rng.random() < 0.8 else vowel
        names.append("".join(letters))
    return names
