"""Accounts as Mesa agents: a readable view over the party's arrays (``model.party``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

from sim.engine.state import ACCOUNT_COLUMNS

if TYPE_CHECKING:
    from sim.engine.party import Party


def account_summary(model: Party, i: int) -> dict:
    """Who account ``i`` is and how it fared so far, in words a reader of the app knows
    (the app's story tab and :meth:`Account.summary`)."""
    count = model.count
    return {
        "handle": "@" + model.handle(i),
        "signs up at hour": int(model.join_hour[i]),  # 0: there from the start (rule joining)
        "strategy": model.strategy_names[int(model.strategy_id[i])],
        "main room": model.room_name(int(model.interests[i, 0])),
        "followers at start": int(model.followers_at_start[i]),
        "followers now": int(model.follows.in_degree[i]),
        "following": int(model.follows.out_degree[i]),
        "posts": int(count["posts"][i]),
        "retweets received": int(count["retweets_received"][i]),
        "unfollows received": int(count["unfollows_received"][i]),
        "blocks received": int(count["blocks_received"][i]),
    }


class Account(mesa.Agent):
    """One account at the party. Its state lives in the party's arrays (row ``index`` of
    ``model.party``); the properties below read it, so ``model.agents`` can be inspected like
    any Mesa model's."""

    def __init__(self, model: mesa.Model, index: int) -> None:
        super().__init__(model)
        self.index = index

    @property
    def party(self) -> Party:
        return self.model.party

    @property
    def handle(self) -> str:
        return self.party.handle(self.index)

    @property
    def strategy(self) -> str:
        return self.party.strategy_names[self.party.strategy_id[self.index]]

    @property
    def group(self) -> str:
        return self.party.group_names[self.party.group_id[self.index]]

    @property
    def followers(self) -> int:
        return int(self.party.follows.in_degree[self.index])

    @property
    def following(self) -> int:
        return int(self.party.follows.out_degree[self.index])

    @property
    def posts(self) -> int:
        return int(self.party.count["posts"][self.index])

    def params(self) -> dict:
        """This account's parameter values."""
        return {name: values[self.index].item() for name, values in self.party.acct.items()}

    def summary(self) -> dict:
        """Who it is and how it fared so far (:func:`account_summary`)."""
        return account_summary(self.party, self.index)

    def state(self) -> dict:
        """This account's row of the declared state (sim/engine/state.py)."""
        row = {}
        for name in ACCOUNT_COLUMNS:
            value = getattr(self.party, name)[self.index]
            row[name] = value.tolist() if hasattr(value, "tolist") else value
        return row

    def __repr__(self) -> str:
        return f"<Account @{self.handle} {self.strategy} followers={self.followers}>"
