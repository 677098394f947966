"""Prints the first outputs of xoshiro256** seeded by splitmix64, for EngineGeneratorTests.

A transcription of the published reference algorithms (Blackman and Vigna), written
apart from the Swift SeededGenerator: splitmix64 fills the four state words from the
seed, then each xoshiro256** step returns rotl(s1 * 5, 7) * 9.
Run: python3 xoshiro_reference.py   (prints the first three outputs for seed 42)
"""

MASK = (1 << 64) - 1


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & MASK


def splitmix64(seed):
    state = seed
    while True:
        state = (state + 0x9E3779B97F4A7C15) & MASK
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        yield z ^ (z >> 31)


def xoshiro256starstar(seed):
    mixer = splitmix64(seed)
    s = [next(mixer) for _ in range(4)]
    while True:
        result = (rotl((s[1] * 5) & MASK, 7) * 9) & MASK
        t = (s[1] << 17) & MASK
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        yield result


if __name__ == "__main__":
    generator = xoshiro256starstar(42)
    print([next(generator) for _ in range(3)])
