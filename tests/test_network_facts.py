"""The reality check's facts about the crowd's network (realism III): cascades' structural
virality, one-way against mutual followers' retweets, preferential attachment and
clustering beyond the degrees. Known answers on hand-made inputs, then what the default
party measures today (docs/CALIBRATION.md, "The crowd's network")."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

import sim
from sim.analysis.facts import (
    attachment_exponent,
    clustering_ratio,
    measure_model,
    one_way_retweet_ratio,
    structural_virality,
)
from sim.engine.posts import ORIGINAL, RETWEET
from sim.engine.reasons import FOLLOW, UNFOLLOW


def _cascade(parents: list[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(form, orig, parent) of one original (item 0) and retweets whose parents are given."""
    n = len(parents) + 1
    form = np.array([ORIGINAL] + [RETWEET] * len(parents))
    return form, np.zeros(n, dtype=np.int64), np.array([0, *parents])


def test_structural_virality_of_a_broadcast_and_of_a_chain():
    # one broadcast of 10 retweets from the root: 2 (n - 1) / n with n = 11 nodes
    assert structural_virality(*_cascade([0] * 10)) == pytest.approx(2 * 10 / 11)
    # a chain of 10 hops: the mean distance on a path of 11 nodes, (n + 1) / 3 = 4
    assert structural_virality(*_cascade(list(range(10)))) == pytest.approx(4.0)
    # matches networkx's mean shortest path on a mixed tree
    parents = [0, 0, 1, 1, 2, 0, 5, 6, 6, 3, 9]
    tree = nx.Graph([(i + 1, p) for i, p in enumerate(parents)])
    wanted = nx.average_shortest_path_length(tree)
    assert structural_virality(*_cascade(parents)) == pytest.approx(wanted)


def test_structural_virality_counts_only_cascades_of_ten_retweets_and_takes_the_median():
    assert np.isnan(structural_virality(*_cascade([0] * 9)))
    # three cascades, items interleaved in publication order: a broadcast, a chain, and a
    # small one that does not count
    form, orig, parent = [ORIGINAL, ORIGINAL, ORIGINAL], [0, 1, 2], [0, 1, 2]
    last = {0: 0, 1: 1}
    for _ in range(10):
        for root in (0, 1):
            form.append(RETWEET)
            orig.append(root)
            parent.append(root if root == 0 else last[1])
            last[root] = len(form) - 1
    form.append(RETWEET), orig.append(2), parent.append(2)
    value = structural_virality(np.array(form), np.array(orig), np.array(parent))
    assert value == pytest.approx(np.median([2 * 10 / 11, 4.0]))


NO_EVENTS = (np.zeros(0, dtype=np.int64),) * 4  # event, actor, target, step


def _ratio(src, dst, author, form, orig, log=NO_EVENTS, posted=None, n=10):
    keys = np.asarray(src, dtype=np.int64) * n + np.asarray(dst)
    posted = np.zeros(len(author), dtype=np.int64) if posted is None else posted
    return one_way_retweet_ratio(keys, *log, author, form, orig, posted, n)


def test_one_way_retweet_ratio_compares_followers_within_the_same_post():
    # author 0; followers 1, 2 mutual (0 follows them), 3, 4, 5, 6 one-way
    src = np.array([1, 2, 3, 4, 5, 6, 0, 0])
    dst = np.array([0, 0, 0, 0, 0, 0, 1, 2])
    # post 0 by author 0, retweeted by 1 (mutual) and 3, 4 (one-way): per follower 1/2 vs 2/4
    author = np.array([0, 1, 3, 4])
    form = np.array([ORIGINAL, RETWEET, RETWEET, RETWEET])
    orig = np.array([0, 0, 0, 0])
    assert _ratio(src, dst, author, form, orig) == pytest.approx(1.0)
    # one more one-way retweet (5): 3/4 against 1/2
    author, form, orig = np.r_[author, 5], np.r_[form, RETWEET], np.r_[orig, 0]
    assert _ratio(src, dst, author, form, orig) == pytest.approx(1.5)
    # a retweet by someone who does not follow the author counts for neither side
    author, form, orig = np.r_[author, 7], np.r_[form, RETWEET], np.r_[orig, 0]
    assert _ratio(src, dst, author, form, orig) == pytest.approx(1.5)
    # no retweet by a mutual follower: no ratio
    assert np.isnan(_ratio(src, dst, author[[0, 2]], form[[0, 2]], orig[[0, 2]]))


def test_one_way_retweet_ratio_takes_the_ties_of_the_posts_hour():
    """A follower the author follows back after the post (say, for retweeting it) was a
    one-way follower when the post came out; an unfollow before the post ends a tie."""
    src = np.array([1, 2, 3, 4, 0])
    dst = np.array([0, 0, 0, 0, 1])  # 1 mutual; 2, 3, 4 one-way
    author = np.array([0, 1, 2, 0])  # post 0 at hour 0, post 3 at hour 5
    form = np.array([ORIGINAL, RETWEET, RETWEET, ORIGINAL])
    orig = np.array([0, 0, 0, 3])
    posted = np.array([0, 1, 1, 5])
    assert _ratio(src, dst, author, form, orig, posted=posted) == pytest.approx(1 / 3)
    # the author follows 2 back at hour 2: for post 0 (hour 0) 2 was still one-way
    log = (np.array([FOLLOW]), np.array([0]), np.array([2]), np.array([2]))
    assert _ratio(src, dst, author, form, orig, log, posted) == pytest.approx(1 / 3)
    # a follow-back during hour 0 holds from hour 1: for a post of hour 1, 2 was mutual
    later = np.array([1, 2, 2, 5])
    log = (np.array([FOLLOW]), np.array([0]), np.array([2]), np.array([0]))
    assert _ratio(src, dst, author, form, orig, log, later) == pytest.approx(0.0)
    # 1 unfollowed the author at hour 0 and the post came at hour 1: 1's retweet counts for
    # no follower (1 is not one), leaving 2's retweet against no mutual follower: NaN
    log = (np.array([UNFOLLOW]), np.array([1]), np.array([0]), np.array([0]))
    assert np.isnan(_ratio(src, dst, author, form, orig, log, later))


def test_attachment_exponent_reads_the_power_of_popularity():
    k = np.array([1, 3, 7, 15, 31, 63])
    assert attachment_exponent(k, k) == pytest.approx(1.0)  # gains in proportion
    assert attachment_exponent(k, np.full(6, 5)) == pytest.approx(0.0)  # popularity ignored
    assert attachment_exponent(k, np.sqrt(k + 1) - 1) == pytest.approx(0.5)
    assert np.isnan(attachment_exponent(np.full(6, 4), k))


def test_clustering_ratio_sees_triangles_beyond_the_degrees():
    # cliques of 6 joined in a ring: every tie in a triangle; the same degrees shuffled are not
    g = nx.ring_of_cliques(20, 6)
    src, dst = np.array(g.edges()).T
    assert clustering_ratio(src, dst, g.number_of_nodes()) > 3
    # a random graph: clustering what its degrees give
    r = nx.gnm_random_graph(200, 2000, seed=3)
    src, dst = np.array(r.edges()).T
    assert clustering_ratio(src, dst, 200) == pytest.approx(1.0, abs=0.1)
    assert clustering_ratio(src, dst, 200, seed=1) == clustering_ratio(src, dst, 200, seed=1)
    # a complete graph cannot be shuffled at all: its clustering is what its degrees give
    k = nx.complete_graph(8)
    src, dst = np.array(k.edges()).T
    assert clustering_ratio(src, dst, 8) == pytest.approx(1.0)


def test_the_costly_network_measures_are_made_only_when_asked():
    model = sim.PartyModel("default", seed=1, agents=False).run(24)
    costly = {"one_way_retweet_ratio", "attachment_exponent", "clustering_ratio"}
    assert costly <= set(measure_model(model))
    cheap = measure_model(model, names={"one_retweet"})
    assert not costly & set(cheap) and "cascade_virality" in cheap
    assert costly <= set(measure_model(model, names={"clustering_ratio"}))


def _mean(name: str, seeds=range(2, 6), **overrides) -> float:
    values = [measure_model(sim.PartyModel("default", seed=s, agents=False, **overrides)
                            .run(168))[name] for s in seeds]  # fmt: skip
    return float(np.nanmean(values))


def test_appeal_for_the_authors_audience_makes_cascades_broadcast_shaped():
    """Rule 7.14's stranger_appeal_cap (Goel, Munagala, Sharma, Zhang 2015): when a post's
    appeal counts only for its author's followers, cascades grow from the author's audience
    and die beyond it; when it counts for everyone they run hop after hop. Default week,
    seeds 2-5: median structural virality 2.94 with the cap of 1 against 4.25 without
    (1000); docs/CALIBRATION.md."""
    capped, open_to_all = _mean("cascade_virality"), _mean("cascade_virality",
                                                          stranger_appeal_cap=1000.0)  # fmt: skip
    assert capped < open_to_all - 0.5
    assert capped < 3.2


@pytest.mark.parametrize("seed", [1, 2])
def test_the_party_does_not_yet_show_friends_of_friends_or_compounding_popularity(seed):
    """Pinned as measured (docs/CALIBRATION.md): popularity does not draw followers and ties
    cluster as their degrees make them. A rule that changes either fails here: update the
    figures and CALIBRATION.md together (these are two of the check's known warnings)."""
    m = measure_model(sim.PartyModel("default", seed=seed, agents=False).run(168))
    assert abs(m["attachment_exponent"]) < 0.2
    assert m["clustering_ratio"] < 1.1
