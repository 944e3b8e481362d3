"""The model's random numbers inside the compiled loops: the generator's addresses, numpy's Poisson.

See :mod:`sim.engine.kernels` for when they run; each does what the numpy code named in
its docstring does, in the same order, so runs are bit-identical with and without it.
"""

from __future__ import annotations

import ctypes

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.core import cgutils
from numba.extending import intrinsic

# the last generator used and its handle, as one tuple (replaced whole: safe between threads)
_last_handle: tuple = (None, None)


_HANDLE_FIELDS = (  # numba's bit generator struct, in the order of generator_handle's values
    "state_address",
    "state",
    "fnptr_next_uint64",
    "fnptr_next_uint32",
    "fnptr_next_double",
    "bit_generator",
)


def generator_handle(rng: np.random.Generator) -> np.ndarray:
    """The addresses a compiled loop needs to draw from ``rng`` itself (its bit generator's
    state and next-value functions, as numpy's ``bit_generator.ctypes`` gives them), for
    :func:`generator`. Passing the Generator object instead costs ~45 µs a call (numba
    rebuilds this from Python objects every time); the last generator's handle is kept (a
    copied or unpickled model has a new bit generator, so a new handle)."""
    global _last_handle
    bit_generator = rng.bit_generator
    last, handle = _last_handle
    if last is not bit_generator:
        c = bit_generator.ctypes
        address = lambda f: ctypes.cast(f, ctypes.c_void_p).value  # noqa: E731
        handle = np.array(
            [
                c.state_address,
                c.state.value,
                address(c.next_uint64),
                address(c.next_uint32),
                address(c.next_double),
                c.bit_generator.value,
            ],
            dtype=np.uint64,
        )
        _last_handle = (bit_generator, handle)  # the generator kept: its addresses stay valid
    return handle


@intrinsic
def generator(typingctx, handle):
    """The model's numpy Generator inside a compiled loop, from :func:`generator_handle`:
    numba's own Generator value (its methods give numpy's draws and advance the model's
    generator), built from the addresses instead of from the Python object."""
    gen_type = types.NumPyRandomGeneratorType("numpy_random_generator")
    bit_type = types.NumPyRandomBitGeneratorType("bit_generator")

    def codegen(context, builder, signature, args):
        values = context.make_array(handle)(context, builder, args[0]).data
        bit = cgutils.create_struct_proxy(bit_type)(context, builder)
        for i, name in enumerate(_HANDLE_FIELDS):
            setattr(bit, name, builder.load(builder.gep(values, [ir.Constant(ir.IntType(64), i)])))
        gen = cgutils.create_struct_proxy(gen_type)(context, builder)  # no parent, no meminfo
        gen.bit_generator = bit._getvalue()
        return gen._getvalue()

    return gen_type(handle), codegen


# numpy's log-gamma for the Poisson draws (random_loggam in numpy/random/src/distributions)
_LOGGAM = np.array(
    [
        8.333333333333333e-02,
        -2.777777777777778e-03,
        7.936507936507937e-04,
        -5.952380952380952e-04,
        8.417508417508418e-04,
        -1.917526917526918e-03,
        6.410256410256410e-03,
        -2.955065359477124e-02,
        1.796443723688307e-01,
        -1.39243221690590e00,
    ]
)


@njit(cache=True, error_model="numpy")
def loggam(x):
    """log(gamma(x)) as numpy's random_loggam computes it (Stirling's series; the same
    operations in the same order)."""
    if x == 1.0 or x == 2.0:
        return 0.0
    n = np.int64(7 - x) if x < 7.0 else 0
    x0 = x + n
    x2 = (1.0 / x0) * (1.0 / x0)
    gl0 = _LOGGAM[9]
    for k in range(8, -1, -1):
        gl0 *= x2
        gl0 += _LOGGAM[k]
    gl = gl0 / x0 + 0.5 * 1.8378770664093453 + (x0 - 0.5) * np.log(x0) - x0
    for _ in range(n):
        gl -= np.log(x0 - 1.0)
        x0 -= 1.0
    return gl


@njit(cache=True, error_model="numpy")
def poisson(rng, lam):
    """One Poisson(``lam``) draw as numpy's ``Generator.poisson`` makes it (random_poisson:
    the multiplication method below 10, PTRS from 10 with numpy's floor where numba 0.68's
    own rounds toward zero), from the same uniforms, so the stream stays numpy's. A rate below
    0 or not a number is an error, as in numpy (the rules' rates are checked before)."""
    if not lam >= 0:
        raise ValueError("poisson: the rate must be a number >= 0")
    if lam == 0:
        return 0
    if lam < 10:
        enlam = np.exp(-lam)
        x = 0
        prod = 1.0
        while True:
            prod *= rng.random()
            if prod > enlam:
                x += 1
            else:
                return x
    slam = np.sqrt(lam)
    loglam = np.log(lam)
    b = 0.931 + 2.53 * slam
    a = -0.059 + 0.02483 * b
    invalpha = 1.1239 + 1.1328 / (b - 3.4)
    vr = 0.9277 - 3.6224 / (b - 2)
    while True:
        u = rng.random() - 0.5
        v = rng.random()
        us = 0.5 - np.fabs(u)
        k = np.int64(np.floor((2 * a / us + b) * u + lam + 0.43))
        if us >= 0.07 and v <= vr:
            return k
        if k < 0 or (us < 0.013 and v > us):
            continue
        if np.log(v) + np.log(invalpha) - np.log(a / (us * us) + b) <= (
            -lam + k * loglam - loggam(np.float64(k + 1))
        ):
            return k
