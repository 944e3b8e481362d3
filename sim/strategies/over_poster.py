"""Over-poster: a friendly, engaging account with "Twittiarrhea". Its posts are the same mix
and quality as a regular's and it replies and follows back, but it posts several times an
hour whenever it is online, so it floods its followers' feeds."""

PROFILE = {
    "posts_per_hour": 3.0,
    "social_weight": 0.55,
    "info_weight": 0.3,
    "promo_weight": 0.03,
    "question_weight": 0.12,
    "quality_mean": 0.45,
    "reply_propensity": 1.5,
    "retweet_propensity": 1.5,
    "thank_prob": 0.5,
    "follow_back_auto_prob": 0.5,
    "follow_back_screen_prob": 1.0,
}
