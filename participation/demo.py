"""Demo data of the participation app, by subject (participation/demo_votes.py: an open vote in 春江月小区)."""

from participation import demo_votes


def seed(log):
    demo_votes.seed(log)
