"""The browser app's building blocks (Streamlit). Imports go one way: app.py -> ui/ -> sim/.

Limits that keep the app interactive live here, stated once.
"""

# a live party of 10,000 accounts costs 11-17 ms of CPU an hour (the default party, the
# posting-rate party and the town square resized to it; Intel Xeon), so it plays smoothly at
# 12 simulated hours a second; larger ones run from the command line
MAX_ACCOUNTS = 10_000  # also the size a platform-scale preset (the town square) opens at
PICTURE_ACCOUNTS = 3_000  # above this an account's-eye view stands in for the network picture
MAX_UPLOAD_BYTES = 64 * 1024  # scenario files are a few KiB
MAX_REPS = 10  # replications per variant in the comparison view (run serially)
MAX_STEPS = 2_000  # hours per run in the app (12 weeks)
