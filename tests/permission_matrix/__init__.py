"""The permission matrix: one rows module per area (see tests/test_permission_matrix.py)."""
