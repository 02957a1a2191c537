"""Public pages about organisations that combine features: the directory with its scores,
and the organisation page with its reviews, open jobs and remediation record."""
