"""Blaster: shoves the polar bear in people's faces. Besides promotional posts it sends
unsolicited promotional @-mentions to strangers it finds in its rooms, hoping to be noticed.
It auto-follows back to look sociable but never converses."""

PROFILE = {
    "posts_per_hour": 0.3,
    "social_weight": 0.05,
    "info_weight": 0.1,
    "promo_weight": 0.85,
    "question_weight": 0.0,
    "promo_mentions_per_hour": 2.0,
    "reply_propensity": 0.0,
    "retweet_propensity": 0.0,
    "thank_prob": 0.0,
    "follow_back_auto_prob": 1.0,
    "hashtag_prob": 0.8,
}
