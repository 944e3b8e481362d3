"""Broadcaster: the billboard. Posts its own promotional material at a steady rate, always
with a link, never replies, never retweets anyone, never thanks, and does not follow back.
It still follows a few accounts at the start, like most brand accounts do."""

PROFILE = {
    "posts_per_hour": 0.5,
    "social_weight": 0.05,
    "info_weight": 0.15,
    "promo_weight": 0.8,
    "question_weight": 0.0,
    "quality_mean": 0.5,
    "reply_propensity": 0.0,
    "retweet_propensity": 0.0,
    "follow_propensity": 0.2,
    "thank_prob": 0.0,
    "follow_back_auto_prob": 0.0,
    "follow_back_screen_prob": 0.0,
    "hashtag_prob": 0.7,
    "initial_following": 10,
}
