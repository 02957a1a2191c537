"""Everything a worker's private code opens: their review (and the case opened from it),
their job application. It combines features, so it lives above them."""
