"""Worker voice: conversations with workers, the caseworkers' inbox and the contact log."""
