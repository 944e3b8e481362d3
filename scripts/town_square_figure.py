"""docs/town_square.png: the town square's follower CCDF on log-log against the published shape.

Runs the town square (scenarios/town_square.toml) at ``--accounts`` accounts for ``--hours``
hours with seed ``--seed`` and plots, as Kwak et al. 2010 plot the 2009 graph (their Fig. 1):
the CCDF of followers and of followings (accounts followed), the power law fitted to the
follower tail (discrete MLE, xmin by KS: sim/analysis/tails.py), and the slope of Kwak et al.'s
fitted exponent 2.276 (CCDF slope -1.276) drawn through the model's CCDF at xmin. Same
arguments, same figure (the run is seeded).

    python scripts/town_square_figure.py [--accounts 100000] [--hours 168] [--seed 2010]
                                         [--out docs/town_square.png]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

KWAK_ALPHA = 2.276  # Kwak, Lee, Park, Moon 2010 (WWW): followers, fitted up to 10^5


def measure(accounts: int, hours: int, seed: int) -> dict:
    """Run the town square and return followers, followings and the tail fit."""
    from sim.analysis.tails import fit_tail
    from sim.analysis.town_square import resize
    from sim.engine.model import PartyModel

    model = PartyModel(resize("town_square", accounts), seed=seed).run(hours)
    followers = model.follows.in_degree.astype(float)
    return {
        "followers": followers,
        "following": model.follows.out_degree.astype(float),
        "fit": fit_tail(followers, compare=False),
    }


def plot(data: dict, path: Path, title: str) -> Path:
    """The log-log CCDF figure of ``data`` (from :func:`measure`), written to ``path``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from sim.analysis.tails import ccdf

    fig, ax = plt.subplots(figsize=(7.5, 5.2), dpi=120)
    x, p = ccdf(data["followers"])
    ax.loglog(x, p, ".", ms=3, color="#1f77b4", label="followers (model)")
    xf, pf = ccdf(data["following"])
    ax.loglog(xf, pf, ".", ms=3, color="#999999", label="followings (model)")
    fit = data["fit"]
    if np.isfinite(fit["alpha"]):
        xmin = fit["xmin"]
        at = p[np.searchsorted(x, xmin)]
        xs = np.logspace(np.log10(xmin), np.log10(x.max()), 50)
        ax.loglog(xs, at * (xs / xmin) ** (1 - fit["alpha"]), "-", color="#d62728", lw=1.5,
                  label=f"fitted tail: alpha = {fit['alpha']:.2f} +- {fit['sigma']:.2f}, "
                  f"xmin = {xmin:g}")  # fmt: skip
        ax.loglog(xs, at * (xs / xmin) ** (1 - KWAK_ALPHA), "--", color="#2ca02c", lw=1.5,
                  label=f"Kwak et al. 2010: alpha = {KWAK_ALPHA} (slope through xmin)")  # fmt: skip
    ax.set_xlabel("followers (or followings) x")
    ax.set_ylabel("P(X >= x)")
    ax.set_title(title, fontsize=10)
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--hours", type=int, default=168)
    parser.add_argument("--seed", type=int, default=2010)
    parser.add_argument("--out", default=str(ROOT / "docs" / "town_square.png"))
    args = parser.parse_args(argv)
    start = time.perf_counter()
    data = measure(args.accounts, args.hours, args.seed)
    fit = data["fit"]
    title = (f"Town square, {args.accounts:,} accounts after {args.hours} h (seed {args.seed}): "
             f"follower CCDF")  # fmt: skip
    path = plot(data, Path(args.out), title)
    print(f"wrote {path} in {time.perf_counter() - start:.0f} s: alpha {fit['alpha']:.3f} "
          f"(sigma {fit['sigma']:.3f}), xmin {fit['xmin']:g}, {fit['n_tail']:.0f} in the tail, "
          f"max followers {data['followers'].max():.0f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
