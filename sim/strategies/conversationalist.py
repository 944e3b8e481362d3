"""Conversationalist: the good party guest. Posts at a moderate rate (chat, useful links, many
questions), replies and retweets others readily, thanks those who retweet it, follows people
it enjoys and follows back after a glance at their profile. Rarely promotes itself."""

PROFILE = {
    "posts_per_hour": 0.35,
    "social_weight": 0.4,
    "info_weight": 0.3,
    "promo_weight": 0.05,
    "question_weight": 0.25,
    "quality_mean": 0.5,
    "reply_propensity": 4.0,
    "retweet_propensity": 2.5,
    "follow_propensity": 2.0,
    "thank_prob": 0.9,
    "follow_back_auto_prob": 0.2,
    "follow_back_screen_prob": 1.0,
    "hashtag_prob": 0.7,
}
