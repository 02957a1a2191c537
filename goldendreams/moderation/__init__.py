"""One queue for everything that waits for a moderator: reviews, replies, reports (and jobs)."""
