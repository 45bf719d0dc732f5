"""Every read of Learn that others use, by purpose, already scoped to the caller."""
