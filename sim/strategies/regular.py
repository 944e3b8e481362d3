"""Regular: the ordinary crowd. Posts now and then, mostly social chat with some information
and the odd question, replies and retweets at the base rates, follows people it likes, and
follows back a new follower after a look at their profile (some automatically, some never)."""

PROFILE = {
    "posts_per_hour": 0.2,
    "social_weight": 0.55,
    "info_weight": 0.3,
    "promo_weight": 0.03,
    "question_weight": 0.12,
    "quality_mean": 0.45,
    "follow_back_auto_prob": 0.1,
    "follow_back_screen_prob": 0.25,
}
