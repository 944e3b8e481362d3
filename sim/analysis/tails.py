"""Heavy tails of a count distribution (followers): the CCDF and a fitted power-law exponent.

The fit is the method of Clauset, Shalizi and Newman 2009 (SIAM Review 51, 661-703) as
implemented by the ``powerlaw`` package (Alstott, Bullmore, Plenz 2014, PLoS ONE 9, e85777):
a discrete power law p(x) ~ x^-alpha for x >= xmin, alpha by maximum likelihood, xmin the
value that minimises the Kolmogorov-Smirnov distance between the data above it and the fit.
The comparison with a lognormal is the package's normalised log-likelihood ratio (R > 0
favours the power law, p its significance). Zero counts never enter a power-law fit.
"""

from __future__ import annotations

import warnings

import numpy as np


def ccdf(values) -> tuple[np.ndarray, np.ndarray]:
    """(x, P(X >= x)) at every distinct positive value of ``values``: the complementary
    cumulative distribution, as Kwak et al. 2010 plot followers (Fig. 1)."""
    v = np.sort(np.asarray(values, dtype=float))
    v = v[v > 0]
    if len(v) == 0:
        return np.array([]), np.array([])
    x, first = np.unique(v, return_index=True)
    return x, 1.0 - first / len(v)


def decades(values) -> float:
    """How many decades the positive values span: log10(max / min); 0 without two."""
    v = np.asarray(values, dtype=float)
    v = v[v > 0]
    return float(np.log10(v.max() / v.min())) if len(v) else 0.0


def fit_tail(values, xmin: float | None = None, compare: bool = True) -> dict[str, float]:
    """Fit a discrete power law to the positive ``values``' tail (Clauset et al. 2009).

    Returns ``alpha`` (density exponent), its standard error ``sigma``, ``xmin`` (chosen by
    the KS distance unless given), ``n_tail`` (values at or above xmin), ``ks`` (the KS
    distance), ``decades`` (log10 of max / xmin: how far the fitted tail reaches) and, with
    ``compare``, ``R_lognormal`` and ``p_lognormal`` (power law against lognormal). NaN
    everywhere with fewer than 50 positive values."""
    import powerlaw

    v = np.asarray(values, dtype=float)
    v = v[v > 0]
    nan = float("nan")
    keys = ("alpha", "sigma", "xmin", "n_tail", "ks", "decades", "R_lognormal", "p_lognormal")
    if len(v) < 50:
        return dict.fromkeys(keys, nan)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        fit = powerlaw.Fit(v, discrete=True, xmin=xmin, verbose=False)
        out = {
            "alpha": float(fit.power_law.alpha),
            "sigma": float(fit.power_law.sigma),
            "xmin": float(fit.power_law.xmin),
            "n_tail": float((v >= fit.power_law.xmin).sum()),
            "ks": float(fit.power_law.D),
            "decades": float(np.log10(v.max() / fit.power_law.xmin)),
            "R_lognormal": nan,
            "p_lognormal": nan,
        }
        if compare:
            r, p = fit.distribution_compare("power_law", "lognormal", normalized_ratio=True)
            out["R_lognormal"], out["p_lognormal"] = float(r), float(p)
    return out


def discrete_power_law_sample(alpha: float, xmin: int, n: int, rng) -> np.ndarray:
    """``n`` integers from a discrete power law p(x) ~ x^-alpha, x >= xmin, by Clauset et
    al.'s approximation (appendix D): floor((xmin - 1/2)(1 - u)^(-1/(alpha - 1)) + 1/2).
    For tests of :func:`fit_tail`."""
    u = rng.random(n)
    return np.floor((xmin - 0.5) * (1.0 - u) ** (-1.0 / (alpha - 1.0)) + 0.5).astype(np.int64)
