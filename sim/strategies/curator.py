"""Curator: the niche newspaper. Posts high-quality informational items with links in its
rooms, never follows anyone, never replies, retweets or thanks. Whether it is valued depends
entirely on whether the audience wants information."""

PROFILE = {
    "posts_per_hour": 0.5,
    "social_weight": 0.0,
    "info_weight": 1.0,
    "promo_weight": 0.0,
    "question_weight": 0.0,
    "quality_mean": 0.85,
    "link_prob": 1.0,
    "hashtag_prob": 0.9,
    "reply_propensity": 0.0,
    "retweet_propensity": 0.0,
    "follow_propensity": 0.0,
    "thank_prob": 0.0,
    "follow_back_auto_prob": 0.0,
    "follow_back_screen_prob": 0.0,
    "initial_following": 0,
}
