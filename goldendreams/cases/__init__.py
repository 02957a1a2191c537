"""The ILM case store: labour abuses reported by workers, tracked through remediation."""
