"""The task queue (procrastinate): deferring jobs on commit, in-process runs, recovery."""
