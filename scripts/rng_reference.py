"""Independent Python implementation of LossLang's RandomGenerator.

xoshiro256** seeded by SplitMix64, 53-bit uniforms, Marsaglia polar normals with a
logarithm from basic arithmetic, Lemire's unbiased integers. Prints the values that
Tests/LossLangTests/TensorIO/RandomGeneratorTests.swift and
OrderingBuiltinsTests.swift (randperm) hard-code:
    python3 scripts/rng_reference.py
"""
import math

MASK = (1 << 64) - 1


class Rng:
    """The same generator as RandomGenerator.swift, on Python ints and floats."""

    def __init__(self, seed):
        x = seed & MASK
        self.s = []
        for _ in range(4):
            x = (x + 0x9E3779B97F4A7C15) & MASK
            z = x
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
            self.s.append(z ^ (z >> 31))
        self.spare = None

    @staticmethod
    def rotl(x, k):
        return ((x << k) | (x >> (64 - k))) & MASK

    def bits(self):
        s = self.s
        result = (self.rotl((s[1] * 5) & MASK, 7) * 9) & MASK
        t = (s[1] << 17) & MASK
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = self.rotl(s[3], 45)
        return result

    def uniform(self):
        return (self.bits() >> 11) * 2.0**-53

    @staticmethod
    def log(x):
        m, e = math.frexp(x)  # x = m * 2**e, m in [0.5, 1)
        m, e = m * 2.0, e - 1  # Swift's significand/exponent
        if m > 1.4142135623730951:
            m /= 2.0
            e += 1
        r = (m - 1.0) / (m + 1.0)
        r2 = r * r
        term = r
        total = 0.0
        for k in range(14):
            total += term / float(2 * k + 1)
            term *= r2
        return 2.0 * total + float(e) * 0.6931471805599453

    def normal(self):
        if self.spare is not None:
            value, self.spare = self.spare, None
            return value
        while True:
            u = 2.0 * self.uniform() - 1.0
            v = 2.0 * self.uniform() - 1.0
            s = u * u + v * v
            if 0.0 < s < 1.0:
                factor = math.sqrt(-2.0 * self.log(s) / s)
                self.spare = v * factor
                return u * factor

    def int_below(self, n):
        if n <= 1:
            return 0
        threshold = (-n & MASK) % n
        while True:
            product = self.bits() * n
            if product & MASK >= threshold:
                return product >> 64

    def randperm(self, n):
        """LossLang's randperm: Fisher-Yates from the last position down."""
        values = list(range(n))
        for i in range(n - 1, 0, -1):
            j = self.int_below(i + 1)
            values[i], values[j] = values[j], values[i]
        return values


def main():
    r = Rng(42)
    print("bits seed 42:", [hex(r.bits()) for _ in range(4)])
    r = Rng(42)
    print("uniform seed 42:", [repr(r.uniform()) for _ in range(4)])
    r = Rng(7)
    print("normal seed 7:", [repr(r.normal()) for _ in range(5)])
    r = Rng(0)
    print("int below 10 seed 0:", [r.int_below(10) for _ in range(10)])
    r = Rng(0xFFFFFFFFFFFFFFFF)
    print("int below 2**62+1 seed max:", [r.int_below(2**62 + 1) for _ in range(3)])
    print("randperm(10) seed 3:", Rng(3).randperm(10))
    print("randperm(12) seed -1:", Rng(-1).randperm(12))
    print("max log error:", max(abs(Rng.log(x) - math.log(x)) / abs(math.log(x))
                                 for x in [1e-300, 1e-10, 0.1, 0.5, 0.7, 0.99, 0.999999]))


if __name__ == "__main__":
    main()
