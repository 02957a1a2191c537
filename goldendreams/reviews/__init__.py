"""Anonymous reviews of employers and agencies, organisation scores, replies and reports."""
