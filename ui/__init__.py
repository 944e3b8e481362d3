"""The browser app's building blocks (Streamlit). Imports go one way: app.py -> ui/ -> sim/.

Limits that keep the app interactive live here, stated once.
"""

MAX_ACCOUNTS = 3_000  # above this a live party stops being smooth on a laptop
MAX_UPLOAD_BYTES = 64 * 1024  # scenario files are a few KiB
MAX_REPS = 10  # replications per variant in the comparison view (run serially)
MAX_STEPS = 2_000  # hours per run in the app (12 weeks)
