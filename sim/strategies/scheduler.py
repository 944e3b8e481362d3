"""Scheduler: automated promotion. A scheduling tool sends its promotional posts at fixed
hours timed to the day of most of its followers, even while the owner sleeps; the owner
rarely posts or engages in person."""

PROFILE = {
    "posts_per_hour": 0.05,
    "scheduled_per_day": 8,
    "schedule_at": "audience_day",
    "social_weight": 0.1,
    "info_weight": 0.3,
    "promo_weight": 0.6,
    "question_weight": 0.0,
    "reply_propensity": 0.3,
    "retweet_propensity": 0.2,
    "thank_prob": 0.1,
    "follow_back_auto_prob": 0.8,
    "follow_back_screen_prob": 0.0,
    "hashtag_prob": 0.8,
}
