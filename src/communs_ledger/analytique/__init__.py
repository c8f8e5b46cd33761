"""Cost accounting by project: the clés de répartition of indirect costs and their
allocation at report time (entries are never rewritten)."""
